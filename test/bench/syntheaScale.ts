/**
 * A larger Synthea bundle from a real one, deterministically (benchmarks only):
 * the Patient, Organization and Practitioner entries once; every other entry
 * repeated as copy 1, 2, ... with its ids and `urn:uuid:` fullUrls made
 * distinct per copy (the last hex digits of the uuid replaced by the copy
 * number), references among the repeated entries rewritten the same way so
 * each copy's encounters, claims and observations point at each other, and
 * references to the once-only entries left as they are. Copies are added
 * entry by entry until the serialized bundle reaches `targetBytes`.
 */
interface Entry {
  fullUrl?: string;
  resource: { resourceType: string; id?: string };
}

const ONCE = new Set(['Patient', 'Organization', 'Practitioner']);

function uuidFor(uuid: string, copy: number): string {
  const suffix = copy.toString(16).padStart(4, '0');
  return `${uuid.slice(0, uuid.length - suffix.length)}${suffix}`;
}

export function scaleSyntheaBundle(json: string, targetBytes: number): Buffer {
  const bundle = JSON.parse(json) as { entry: Entry[] } & Record<string, unknown>;
  const once = bundle.entry.filter((e) => ONCE.has(e.resource.resourceType));
  const repeated = bundle.entry.filter((e) => !ONCE.has(e.resource.resourceType));
  const uuids = new Set<string>();
  for (const e of repeated) {
    if (e.fullUrl?.startsWith('urn:uuid:')) uuids.add(e.fullUrl.slice('urn:uuid:'.length));
    if (e.resource.id) uuids.add(e.resource.id);
  }
  const pattern = new RegExp([...uuids].map((u) => u.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|'), 'g');
  const repeatedText = repeated.map((e) => JSON.stringify(e));
  const onceText = once.map((e) => JSON.stringify(e));
  const head = JSON.stringify({ ...bundle, entry: [] }).replace(/"entry":\[\]\}$/, '"entry":[');
  const parts: string[] = [...onceText];
  let size = head.length + onceText.reduce((n, t) => n + t.length + 1, 0) + 2;
  for (let copy = 1; size < targetBytes; copy++) {
    for (const text of repeatedText) {
      if (size >= targetBytes) break;
      const rewritten = text.replace(pattern, (u) => uuidFor(u, copy));
      parts.push(rewritten);
      size += rewritten.length + 1;
    }
  }
  return Buffer.from(`${head}${parts.join(',')}]}`, 'utf8');
}
