/**
 * HL7 v2 benchmark (npm run bench; not part of the tests).
 *  - parse + map: Samsyn's path (charset decode, node-hl7-client parse, our
 *    field walk, segment mappers) in messages per second;
 *  - its ratio to node-hl7-client's bare parse of the same messages: the
 *    library parses lazily, so "bare parse" is `new Message` plus reading every
 *    subcomponent of every field through its node tree (target ratio ≤ 1.25);
 *  - one MLLP round trip's overhead on loopback: a QBP^Q11 answered by the
 *    sandbox (connect, query, reply, map, close), median of many.
 */
import { performance } from 'node:perf_hooks';
import { Message, type HL7Node } from 'node-hl7-client';
import { startMllpSandbox } from '../../src/main/sandbox/mllpServer';
import { mapHl7Message } from '../../src/main/sources/hl7v2/hl7Map';
import { parseHl7Document } from '../../src/main/sources/hl7v2/hl7Parse';
import { decodeHl7Bytes } from '../../src/main/sources/hl7v2/hl7Text';
import { createMllpQuerySource } from '../../src/main/sources/hl7v2/mllpQueryAdapter';

function sampleMessages(count: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const segments = [
      `MSH|^~\\&|LAB|LAB-OST|SAMSYN|SAMSYN|20260916060000+0100||ORU^R01^ORU_R01|M${i}|P|2.5|||||SWE|8859/1`,
      `PID|1||191212121212^^^1.2.752.129.2.1.3.1^NNSWE~RN-${i}^^^REGION-NORD^PI||Tolvansson^Tolvan||19121212|M|||Tolvgatan 12^^Älvby^^97231^SE`,
      `PV1|1|O|Vårdcentralen Älvby^^^Region Nord|||||||MED`,
      `AL1|1|DA|764146007^Penicillin^SCT|SV|Urtikaria~Andnöd|20090317`,
      `ORC|RE|P-${i}|F-${i}|||CM||||20260915090000+0100`,
      `OBR|1|P-${i}|F-${i}|24326-1^Elektrolyter^LN|||20260915090000+0100||||||||||||||||||F`,
    ];
    for (let k = 1; k <= 12; k++) {
      segments.push(`OBX|${k}|NM|2823-3^Kalium^LN||4,${k % 10}|mmol/L^mmol/L^UCUM|3.5-5.0|N~A|||F|||20260915090000+0100`);
    }
    segments.push(`OBX|13|TX|11506-3^Kommentar^LN||Prov taget på morgonen\\.br\\inga anmärkningar~Åter om 3 mån||||||F`);
    out.push(Buffer.from(segments.join('\r'), 'latin1'));
  }
  return out;
}

function walk(node: HL7Node): number {
  // Reads every subcomponent, the way the library materializes its tree.
  let n = 0;
  for (const field of node.toArray()) {
    for (const rep of field.toArray()) {
      for (const component of rep.toArray()) {
        for (const sub of component.toArray()) n += sub.toString().length;
      }
    }
  }
  return n;
}

function bareParse(bytes: Buffer[]): number {
  let n = 0;
  for (const b of bytes) {
    // The library would read the bytes as UTF-8; latin1 is used so both paths see the same text.
    const message = new Message({ text: b.toString('latin1') });
    for (const segment of message.toArray()) n += walk(segment);
  }
  return n;
}

function samsynParseAndMap(bytes: Buffer[]): number {
  let n = 0;
  for (const b of bytes) {
    const doc = parseHl7Document(decodeHl7Bytes(b));
    const view = doc.entries[0]?.view;
    if (!view) throw new Error('bench message did not parse');
    n += mapHl7Message(view, { sourceId: 'b', sourceName: 'B', fetchedAt: '2026-01-01T00:00:00Z', recordPrefix: '' }).items.length;
  }
  return n;
}

function timeIt(fn: () => number, rounds: number): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

async function roundTrip(): Promise<{ medianMs: number; p95Ms: number; items: number }> {
  const sandbox = await startMllpSandbox({ region: 'vast' });
  const source = createMllpQuerySource({
    id: 'bench',
    name: 'Bench',
    host: '127.0.0.1',
    port: sandbox.port,
    timeoutMs: 5_000,
    query: 'QBP^Q11',
    profile: {
      sendingApplication: 'SAMSYN',
      sendingFacility: 'SAMSYN',
      receivingApplication: 'VAST-EPJ',
      receivingFacility: 'KOMMUN-VAST',
      version: '2.5',
      queryName: 'Z01^Patient summary^L',
    },
  });
  const query = { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' } };
  const times: number[] = [];
  let items = 0;
  try {
    for (let i = 0; i < 220; i++) {
      const t0 = performance.now();
      const result = await source.fetchPatient(query, new AbortController().signal);
      const ms = performance.now() - t0;
      items = result.items.length;
      if (i >= 20) times.push(ms); // warm-up excluded
    }
  } finally {
    await sandbox.close();
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[times.length >> 1] ?? NaN, p95Ms: times[Math.floor(times.length * 0.95)] ?? NaN, items };
}

async function main(): Promise<void> {
  const messages = sampleMessages(2_000);
  // Warm up both paths (JIT).
  bareParse(messages.slice(0, 300));
  samsynParseAndMap(messages.slice(0, 300));
  const bareMs = timeIt(() => bareParse(messages), 5);
  const oursMs = timeIt(() => samsynParseAndMap(messages), 5);
  const perSecond = (ms: number) => Math.round((messages.length / ms) * 1000);
  const out = process.stdout;
  out.write('HL7 v2 benchmark (node-hl7-client 4.0.0; 2,000 ORU^R01 messages of 19 segments, 8859/1)\n');
  out.write(`  bare parse (node-hl7-client, every field read):  ${perSecond(bareMs)} messages/s\n`);
  out.write(`  Samsyn parse + map (decode, parse, map, items):  ${perSecond(oursMs)} messages/s\n`);
  const ratio = oursMs / bareMs;
  out.write(`  ratio Samsyn / bare parse: ${ratio.toFixed(2)} (target ≤ 1.25) ${ratio <= 1.25 ? 'OK' : 'ABOVE TARGET'}\n`);
  const rt = await roundTrip();
  out.write(`  MLLP round trip on loopback (QBP^Q11 → RSP^K11, ${rt.items} items, new connection each): median ${rt.medianMs.toFixed(2)} ms, p95 ${rt.p95Ms.toFixed(2)} ms\n`);
}

void main();
