/**
 * Seeded input generators for the fuzz run (test/fuzz/run.ts) and the
 * property tests: a small PRNG, byte- and structure-level mutations of HL7 v2
 * messages and FHIR Bundles, and identity-number strings. Deterministic for a
 * seed, so every failure can be replayed from its seed and index.
 */

/** mulberry32: a small, fast, seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;
export const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)] as T;

/** Test identity numbers (official test numbers / synthetic ranges) the generators put in. */
export const FUZZ_IDS = ['191212121212', '201701012393', '199001012385', '31129956715', '22036154873', '010594Y9032', '010185-902F'] as const;
const HL7_BYTES = [0x7c, 0x5e, 0x7e, 0x5c, 0x26, 0x0d, 0x0a, 0x00, 0x1a, 0xff, 0xc3, 0xa5, 0x0b, 0x1c, 0x20];
const SEGMENTS = ['MSH', 'PID', 'PD1', 'OBR', 'OBX', 'AL1', 'DG1', 'RXE', 'RXA', 'NTE', 'BHS', 'BTS', 'FHS', 'FTS', 'ZXX', 'PV1', 'ORC', 'IAM', 'PRB'];

/** One byte-level mutation of a buffer: flip, insert, delete, duplicate a range, truncate, or put in an HL7 delimiter. */
export function mutateBytes(rng: Rng, input: Buffer): Buffer {
  if (input.length === 0) return Buffer.from([int(rng, 256)]);
  const at = int(rng, input.length);
  switch (int(rng, 7)) {
    case 0: {
      const out = Buffer.from(input);
      out[at] = int(rng, 256);
      return out;
    }
    case 1:
      return Buffer.concat([input.subarray(0, at), Buffer.from([pick(rng, HL7_BYTES)]), input.subarray(at)]);
    case 2:
      return Buffer.concat([input.subarray(0, at), input.subarray(at + 1 + int(rng, 16))]);
    case 3: {
      const len = 1 + int(rng, Math.min(200, input.length - at));
      return Buffer.concat([input.subarray(0, at + len), input.subarray(at, at + len), input.subarray(at + len)]);
    }
    case 4:
      return input.subarray(0, at);
    case 5: {
      const out = Buffer.from(input);
      out[at] = pick(rng, HL7_BYTES);
      return out;
    }
    default:
      return Buffer.concat([input.subarray(0, at), Buffer.from(randomText(rng, 1 + int(rng, 12))), input.subarray(at)]);
  }
}

function randomText(rng: Rng, n: number): string {
  const alphabet = 'ABCXYZabc0123456789|^~\\&\r\n -+.:åäöÆØ';
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[int(rng, alphabet.length)];
  return s;
}

/** One segment-level mutation of an HL7 v2 text: drop, duplicate, swap, splice a segment from another message, change an id, add fields. */
export function mutateSegments(rng: Rng, text: string, other: string): string {
  const segs = text.split(/\r\n|\r|\n/);
  const from = other.split(/\r\n|\r|\n/);
  const i = int(rng, segs.length);
  switch (int(rng, 8)) {
    case 0:
      segs.splice(i, 1);
      break;
    case 1:
      segs.splice(i, 0, segs[i] ?? '');
      break;
    case 2: {
      const j = int(rng, segs.length);
      [segs[i], segs[j]] = [segs[j] ?? '', segs[i] ?? ''];
      break;
    }
    case 3:
      segs.splice(i, 0, pick(rng, from));
      break;
    case 4:
      // Another test patient's number where one stood (PID-3, or anywhere).
      segs[i] = (segs[i] ?? '').replace(/\d{10,12}|\d{6}[-+A]\d{3}[0-9A-Y]/, pick(rng, FUZZ_IDS));
      break;
    case 5:
      segs[i] = `${segs[i] ?? ''}|${randomText(rng, int(rng, 20))}`.repeat(1 + int(rng, 3));
      break;
    case 6:
      segs.splice(i, 0, `${pick(rng, SEGMENTS)}|${randomText(rng, int(rng, 40))}`);
      break;
    default: {
      const parts = (segs[i] ?? '').split('|');
      parts[int(rng, parts.length)] = randomText(rng, int(rng, 10));
      segs[i] = parts.join('|');
    }
  }
  return segs.join(pick(rng, ['\r', '\r', '\r', '\n', '\r\n']));
}

/** A generated HL7 v2 message from scratch: a header, a PID with one of the test numbers, and random clinical segments. */
export function generateMessage(rng: Rng): { text: string; id: string } {
  const id = pick(rng, FUZZ_IDS);
  const authority = pick(rng, ['1.2.752.129.2.1.3.1', '2.16.578.1.12.4.1.4.1', '1.2.246.21', '', 'LOCAL']);
  const segs = [
    `MSH|^~\\&|LAB|LAB|SAMSYN|SAMSYN|2026091${int(rng, 10)}||${pick(rng, ['ORU^R01', 'ADT^A01', 'RSP^K11', 'OUL^R22', 'ADT^A08'])}|C${int(rng, 1e6)}|P|${pick(rng, ['2.3', '2.5', '2.5.1'])}||||||${pick(rng, ['', '8859/1', 'UNICODE UTF-8', 'ASCII'])}`,
    `PID|1||${id}^^^${authority}^${pick(rng, ['NNSWE', 'NNNOR', 'NNFIN', 'PI', ''])}||Test^Person||${pick(rng, ['19121212', '20170101', '', '1981'])}|${pick(rng, ['F', 'M', 'U', ''])}`,
  ];
  const n = int(rng, 8);
  for (let k = 0; k < n; k++) {
    segs.push(
      pick(rng, [
        `OBX|${k + 1}|NM|718-7^Hb^LN||${int(rng, 200)}|g/L|||||F|||2025091${int(rng, 10)}`,
        `OBX|${k + 1}|${pick(rng, ['SN', 'TX', 'ST', 'CE', 'ED'])}|${randomText(rng, 8)}||${randomText(rng, 12)}|||||${pick(rng, ['F', 'P', 'C', 'D', 'X'])}`,
        `OBR|${k + 1}|P${k}|F${k}|1988-5^CRP^LN|||20260915`,
        `AL1|${k + 1}|DA|764146007^Penicillin^SCT|SV|Urtikaria`,
        `DG1|${k + 1}|I10|I50.9^Hjärtsvikt|||W`,
        `RXE|^^^20260101^^R|N02BE01^Paracetamol^ATC|500||mg`,
        `NTE|${k + 1}||${randomText(rng, 30)}`,
        `PID|${k + 2}||${pick(rng, FUZZ_IDS)}^^^${authority}^NNSWE||Other^Person`,
        `PD1|||||||||||${pick(rng, ['Y', 'N', ''])}`,
        `ZXX|${randomText(rng, 20)}`,
      ]),
    );
  }
  return { text: segs.join('\r'), id };
}

/** Wraps messages in a BHS batch (sometimes an FHS file, sometimes without its end). */
export function batchOf(rng: Rng, messages: string[]): string {
  const body = messages.join('\r');
  const bhs = `BHS|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916\r${body}\rBTS|${rng() < 0.8 ? messages.length : int(rng, 9)}`;
  if (rng() < 0.3) return `FHS|^~\\&|LAB|LAB\r${bhs}\rFTS|1`;
  return rng() < 0.1 ? bhs.slice(0, bhs.lastIndexOf('\r')) : bhs;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** One structure-level mutation of a JSON value (a FHIR Bundle): at a random path, replace, delete, duplicate, retype or re-point. */
export function mutateJson(rng: Rng, root: Json): Json {
  const copy = JSON.parse(JSON.stringify(root)) as Json;
  // Walk to a random container.
  let node: Json = copy;
  for (let depth = 0; depth < 12; depth++) {
    const children: Json[] = Array.isArray(node) ? node : node && typeof node === 'object' ? Object.values(node) : [];
    const containers = children.filter((c) => c !== null && typeof c === 'object');
    if (containers.length === 0 || rng() < 0.2) break;
    node = pick(rng, containers);
  }
  if (node === null || typeof node !== 'object') return copy;
  const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
  if (keys.length === 0) return copy;
  const key = pick(rng, keys as (string | number)[]);
  const target = node as Record<string | number, Json>;
  const value = target[key];
  switch (int(rng, 9)) {
    case 0:
      if (Array.isArray(node)) node.splice(key as number, 1);
      else delete target[key];
      break;
    case 1:
      if (Array.isArray(node)) node.splice(key as number, 0, JSON.parse(JSON.stringify(value ?? null)) as Json);
      else target[`${key}`] = [value ?? null, value ?? null];
      break;
    case 2:
      target[key] = pick(rng, [null, '', 0, -1, 1e308, true, [], {}, 'x'.repeat(int(rng, 300)), '\u0000', 'Patient/other', 'urn:uuid:x']);
      break;
    case 3:
      // Another test patient's number where a value stood.
      target[key] = typeof value === 'string' && /\d/.test(value) ? pick(rng, FUZZ_IDS) : value ?? null;
      break;
    case 4:
      if (typeof value === 'string') target[key] = value.split('').reverse().join('');
      break;
    case 5:
      target[key] = pick(rng, ['Patient', 'Observation', 'Bundle', 'OperationOutcome', 'Composition', 'MedicationRequest', 'AllergyIntolerance', 'Unknown']);
      break;
    case 6:
      if (typeof value === 'string' && value.includes('/')) target[key] = value.replace(/[^/]+$/, pick(rng, ['p1', 'other', '', '..', 'x/_history/2']));
      break;
    case 7:
      if (typeof value === 'object' && value !== null) target[key] = JSON.stringify(value);
      break;
    default:
      if (typeof value === 'number') target[key] = pick(rng, [NaN, Infinity, -0, 2 ** 53, 0.1]) as number;
      else target[key] = { value: value ?? null } as Json;
  }
  return copy;
}

/** An identity-number-like string: a mutated test number, or random digits, separators and letters. */
export function identityString(rng: Rng): string {
  if (rng() < 0.6) {
    const base = pick(rng, [...FUZZ_IDS, '19121212-1212', '121212+1212', '010190A123F', '170101-2393', 'urn:oid:1.2.752.129.2.1.3.1|191212121212']);
    let s = base;
    for (let k = 0, n = 1 + int(rng, 3); k < n; k++) {
      const at = int(rng, s.length + 1);
      const op = int(rng, 4);
      const ch = pick(rng, [...'0123456789-+ABCFHY |', '\u0000', '٣', '１', 'é']);
      if (op === 0) s = s.slice(0, at) + ch + s.slice(at);
      else if (op === 1) s = s.slice(0, at) + s.slice(at + 1);
      else if (op === 2) s = s.slice(0, at) + ch + s.slice(at + 1);
      else s = s.slice(at) + s.slice(0, at);
    }
    return s;
  }
  const len = int(rng, 16);
  let s = '';
  for (let k = 0; k < len; k++) s += pick(rng, [...'0123456789', '-', '+', 'A', ' ', '|', 'x']);
  return s;
}
