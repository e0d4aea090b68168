/**
 * What the heavy patient's open holds, piece by piece, each measured live
 * (after GC) while held: the FHIR answers as text and parsed, the mapped
 * items, the merged summary, its JSON text and its ASCII bytes. Evidence for
 * ADR 0028 (what a live peak is made of); run by hand:
 * `node --import tsx test/bench/heavySizes.ts`. Not a figure of the bench.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { createFhirSource } from '../../src/main/sources/fhir/fhirSource';
import { createSummaryService } from '../../src/main/summary/summaryService';
import { createLogger } from '../../src/main/platform/logger';
import { asciiJsonBytes } from '../../src/main/cache/asciiJson';
import { startFhirSandbox } from '../../src/main/sandbox/fhirServer';
import { sandboxQuery } from '../fixtures/patientQuery';
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const live = async () => { gc(); await new Promise((r) => setTimeout(r, 10)); gc(); const h = v8.getHeapStatistics(); return h.used_heap_size + h.external_memory; };
const mb = (n: number) => (n / 1048576).toFixed(2);
const out = (line: string) => process.stdout.write(`${line}\n`);
async function main() {
  const sandbox = await startFhirSandbox({ region: 'nord' });
  const at = { nord: sandbox.url };
  const clock = { now: () => new Date() };
  const src = createFhirSource({ id: 'region-nord', name: 'Region Nord', baseUrl: at.nord, timeoutMs: 60000, pageSize: 500, clock });
  const q = sandboxQuery('heavy', new Date());
  await src.fetchPatient(q, AbortSignal.timeout(60000)); // warm-up
  const types = ['Patient?identifier=' + encodeURIComponent(`${q.identifier.system}|${q.identifier.value}`)];
  // raw pages: fetch every resource type the adapter asks for, all pages
  const base = await live();
  const pat = (await (await fetch(`${at.nord}/${types[0]}`)).json()) as { entry: { resource: { id: string } }[] };
  const pid = pat.entry[0]!.resource.id;
  const texts: string[] = []; const parsed: unknown[] = [];
  for (const t of ['Condition','AllergyIntolerance','MedicationRequest','MedicationStatement','Observation','Immunization','Procedure','Encounter','DocumentReference','CarePlan','Flag','DiagnosticReport','Consent']) {
    let url: string | undefined = `${at.nord}/${t}?patient=${pid}&_count=500`;
    while (url) { const text = await (await fetch(url)).text(); texts.push(text); const b = JSON.parse(text) as { link?: { relation: string; url: string }[] }; parsed.push(b); url = b.link?.find((l) => l.relation === 'next')?.url; }
  }
  const tBytes = texts.reduce((a, t) => a + Buffer.byteLength(t), 0);
  const withBoth = await live(); texts.length = 0; const onlyParsed = await live();
  out(`FHIR answers: ${mb(tBytes)} MB of JSON text; held as text ${mb(withBoth - onlyParsed)} MB, parsed ${mb(onlyParsed - base)} MB`);
  parsed.length = 0;
  const b2 = await live();
  const res = await src.fetchPatient(q, AbortSignal.timeout(60000));
  const items = await live();
  out(`mapped items (${res.items.length}): ${mb(items - b2)} MB; items JSON ${mb(Buffer.byteLength(JSON.stringify(res.items)))} MB`);
  const svc = createSummaryService({ sources: [src], clock, logger: createLogger('x') });
  const s0 = await live();
  const summary = await svc.open(q);
  await svc.settled();
  const s1 = await live();
  const json = JSON.stringify(summary);
  const s2 = await live();
  const ascii = asciiJsonBytes(summary);
  const s3 = await live();
  out(`summary object: ${mb(s1 - s0)} MB; its JSON ${mb(json.length)} M characters, held ${mb(s2 - s1)} MB; as ASCII bytes ${mb(s3 - s2)} MB`);
  let ascii7 = 0;
  let latin1 = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c >= 0x7f) ascii7++;
    if (c > 0xff) latin1++;
  }
  out(`characters past ASCII ${ascii7}, past Latin-1 ${latin1}: the JSON text is two bytes a character`);
  void [res, summary, json, ascii];
  await sandbox.close();
}

void main();
