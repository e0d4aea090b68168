/**
 * A large summary in two parts (issue 13, ADR 0032): the stored bytes of a
 * cached answer are cut at each section's and item's bounds exactly, part 1
 * holds the first panels whole and every critical item (wherever it sits),
 * part 2 the other sections whole, and the two together are the summary.
 * Part 2 waits for its own viewer only, once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPartStore, deliveryOf, PART_KEPT_MS, scanSections, splitAnswer, splitSummary } from '../../../../src/main/bridge/summaryParts';
import { encodeResult } from '../../../../src/main/bridge/resultJson';
import { materializeResult } from '../../../../src/main/bridge/dispatch';
import { asciiJsonBytes } from '../../../../src/main/cache/asciiJson';
import { isPreserialized, materializeSummary, preserialized } from '../../../../src/main/summary/summaryAnswer';
import { SECTION_KEYS, type Sections, type Summary } from '../../../../src/shared/summary';
import { SPLIT_ABOVE_ITEMS } from '../../../../src/shared/summaryParts';

function item(section: string, i: number, extra: Record<string, unknown> = {}) {
  return {
    section,
    key: `${section}-${i}`,
    // Text that looks like structure, a quote, a backslash and characters past ASCII: the scan must not be fooled.
    text: `${section} ${i} "critical":true ] } [ { \\ \\" Åsa – µmol/L`,
    sources: [{ sourceId: 'nord', sourceName: 'Region Nord', recordId: `r${i}`, fetchedAt: '2026-11-25T09:00:00.000Z' }],
    ...extra,
  };
}

function summary(results: number, patch: (s: Record<string, unknown[]>) => void = () => undefined): Summary {
  const sections = Object.fromEntries(SECTION_KEYS.map((k) => [k, []])) as unknown as Record<string, unknown[]>;
  sections.alerts = [item('alerts', 0)];
  sections.allergies = [item('allergies', 0, { details: { criticality: 'high' } })];
  sections.medications = [item('medications', 0)];
  sections.problems = [item('problems', 0, { critical: true }), item('problems', 1, { critical: false }), item('problems', 2, { details: { critical: true } })];
  sections.results = Array.from({ length: results }, (_, i) => item('results', i, i === 7 ? { critical: true } : {}));
  patch(sections);
  return {
    patient: { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' } },
    sections: sections as unknown as Sections,
    sources: [{ sourceId: 'nord', name: 'Region Nord', state: 'cached', itemCount: results + 6 }],
    generatedAt: '2026-11-25T12:00:00.000Z',
    fromCache: true,
    hiddenSealed: 0,
    progress: { openId: 'open-1', seq: 0, final: false },
  } as Summary;
}

/** As the cache answers it: an envelope with the sections' stored bytes. */
function envelope(s: Summary) {
  const { sections, ...head } = s;
  return preserialized(head, asciiJsonBytes(sections));
}

const LARGE = SPLIT_ABOVE_ITEMS + 20;

describe('scanSections', () => {
  it('finds each section and each item exactly, strings with brackets, quotes and escapes included', () => {
    const s = summary(30);
    const bytes = asciiJsonBytes(s.sections);
    const ranges = scanSections(bytes);
    expect(ranges && [...ranges.keys()]).toEqual([...SECTION_KEYS]);
    for (const [key, range] of ranges ?? []) {
      expect(JSON.parse(bytes.toString('latin1', range.start, range.end))).toEqual(s.sections[key as keyof Sections]);
      expect(range.items.map(([a, b]) => JSON.parse(bytes.toString('latin1', a, b)))).toEqual(s.sections[key as keyof Sections]);
    }
  });

  it('cuts any object of arrays at the same bounds JSON.parse sees (property test)', () => {
    const sectionsArb = fc.dictionary(fc.string({ unit: 'grapheme' }), fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 6 }), { maxKeys: 5 });
    fc.assert(
      fc.property(sectionsArb, fc.boolean(), (sections, spaced) => {
        const text = spaced ? JSON.stringify(sections, null, 2) : JSON.stringify(sections);
        const bytes = spaced ? Buffer.from(text.replace(/[^ -~\n]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), 'latin1') : asciiJsonBytes(sections);
        const ranges = scanSections(bytes);
        expect(ranges).toBeDefined();
        const parsed = JSON.parse(bytes.toString('latin1')) as Record<string, unknown[]>;
        expect([...(ranges?.keys() ?? [])].sort()).toEqual(Object.keys(parsed).sort());
        for (const [key, range] of ranges ?? []) {
          expect(range.items.map(([a, b]) => JSON.parse(bytes.toString('latin1', a, b)))).toEqual(parsed[key]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuses what is not an object of arrays, or is cut short', () => {
    for (const text of ['[]', '{"a":1}', '{"a":[1,2]', '{"a":[{"b":"x]}', '{"a":[]}x', '']) expect(scanSections(Buffer.from(text, 'latin1'))).toBeUndefined();
  });
});

describe('splitAnswer', () => {
  it('a large cached answer: part 1 is the head, the first panels whole and every critical item; part 2 the rest whole', () => {
    const s = summary(LARGE);
    const split = splitAnswer(envelope(s));
    expect(split).toBeDefined();
    if (!split) return;
    expect(isPreserialized(split.part1) && isPreserialized(split.rest)).toBe(true);
    // Both as they go over HTTP, and as Electron's IPC materializes them.
    const part1 = JSON.parse(encodeResult({ ok: true, value: split.part1 }).toString('latin1')).value as Summary & { parts: { id: string; pending: string[]; counts: Record<string, number> } };
    const viaIpc = materializeResult({ ok: true, value: split.part1 });
    expect(viaIpc).toEqual({ ok: true, value: part1 });
    expect(part1.parts.id).toBe(split.id);
    expect(part1.parts.pending).toEqual(SECTION_KEYS.filter((k) => !['alerts', 'allergies', 'medications'].includes(k)));
    expect(part1.parts.counts).toMatchObject({ problems: 3, results: LARGE });
    expect(part1.sections.alerts).toEqual(s.sections.alerts);
    expect(part1.sections.allergies).toEqual(s.sections.allergies);
    expect(part1.sections.medications).toEqual(s.sections.medications);
    // Only items marked critical themselves: not `critical: false`, not a critical flag inside details, not the word in a text.
    expect(part1.sections.problems.map((i) => i.key)).toEqual(['problems-0']);
    expect(part1.sections.results.map((i) => i.key)).toEqual(['results-7']);
    const { sections: _s, ...head } = s;
    expect(part1).toMatchObject(head);

    const rest = JSON.parse(encodeResult({ ok: true, value: split.rest }).toString('latin1')).value as { id: string; openId: string; seq: number; patient: unknown; sections: Partial<Sections> };
    expect(materializeResult({ ok: true, value: split.rest })).toEqual({ ok: true, value: rest });
    expect(rest).toMatchObject({ id: split.id, openId: 'open-1', seq: 0, patient: s.patient.identifier });
    expect(Object.keys(rest.sections)).toEqual(part1.parts.pending);
    // Together: the summary.
    expect({ ...part1.sections, ...rest.sections }).toEqual(s.sections);
  });

  it('finds every critical item, wherever "critical" appears and however the stored JSON is spaced (property test)', () => {
    // Each result: critical true, false, absent, or only named inside its details or its text.
    const mark = fc.constantFrom('true', 'false', 'absent', 'details', 'text', 'string');
    fc.assert(
      fc.property(fc.array(mark, { minLength: LARGE, maxLength: LARGE + 40 }), fc.boolean(), (marks, spaced) => {
        const s = summary(0, (sections) => {
          sections.results = marks.map((m, i) =>
            item('results', i, m === 'true' ? { critical: true } : m === 'false' ? { critical: false } : m === 'details' ? { details: { critical: true } } : m === 'text' ? { note: '"critical": true' } : m === 'string' ? { note: 'critical' } : {}),
          );
        });
        const { sections, ...head } = s;
        // Spaced: what JSON.stringify writes with indentation, keys and values apart ("critical": true).
        const ascii = (text: string) => text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
        const bytes = spaced ? Buffer.from(ascii(JSON.stringify(sections, null, 2)), 'latin1') : asciiJsonBytes(sections);
        const split = splitAnswer(preserialized(head, bytes));
        if (!split || !isPreserialized(split.part1)) throw new Error('expected a split');
        const part1 = materializeSummary(split.part1);
        expect(part1.sections.results.map((i) => i.key)).toEqual(marks.flatMap((m, i) => (m === 'true' ? [`results-${i}`] : [])));
        expect(part1.sections.problems.map((i) => i.key)).toEqual(['problems-0']);
      }),
      { numRuns: 40 },
    );
  });

  it('the stored bytes and the same summary as objects split alike', () => {
    const s = summary(LARGE);
    const fromBytes = splitAnswer(envelope(s));
    const fromObjects = splitSummary(s);
    if (!fromBytes || !fromObjects || !isPreserialized(fromBytes.part1)) throw new Error('expected both split');
    const part1 = materializeSummary(fromBytes.part1) as Summary & { parts: { id: string } };
    expect({ ...part1, parts: { ...part1.parts, id: 'x' } }).toEqual({ ...fromObjects.part1, parts: { ...fromObjects.part1.parts, id: 'x' } });
  });

  it('a summary with few items past the first panels travels whole; every split has its own id', () => {
    expect(splitAnswer(envelope(summary(SPLIT_ABOVE_ITEMS - 3)))).toBeUndefined();
    expect(splitAnswer(summary(SPLIT_ABOVE_ITEMS - 3))).toBeUndefined();
    const ids = new Set(Array.from({ length: 20 }, () => splitAnswer(envelope(summary(LARGE)))?.id));
    expect(ids.size).toBe(20);
  });

  it('the first panels follow the role’s order', () => {
    const s = { ...summary(LARGE), view: { role: 'physician', sections: ['problems', 'alerts', 'medications', 'results'], filtered: [] } } as unknown as Summary;
    const split = splitSummary(s);
    expect(split?.part1.parts.pending).not.toContain('problems');
    expect(split?.part1.parts.pending).toEqual(expect.arrayContaining(['allergies', 'results']));
    expect(split?.part1.sections.problems).toHaveLength(3);
    expect(split?.part1.sections.allergies).toEqual([]);
  });
});

describe('deliveryOf (pushed updates)', () => {
  it('a large update becomes part 1 then part 2, made once per payload for every client; anything else passes as it is', () => {
    const payload = { summary: summary(LARGE) };
    const delivery = deliveryOf('summary.updated', payload);
    expect(delivery.map((d) => d.event)).toEqual(['summary.updated', 'summary.rest']);
    expect(deliveryOf('summary.updated', payload)).toBe(delivery);
    const small = { summary: summary(10) };
    expect(deliveryOf('summary.updated', small)).toEqual([{ event: 'summary.updated', payload: small }]);
    const session = { session: { user: undefined, locked: false } } as never;
    expect(deliveryOf('session.changed', session)[0]?.payload).toBe(session);
  });
});

describe('part store', () => {
  it('gives part 2 once, to its own viewer, within its time', () => {
    let now = 0;
    const store = createPartStore(() => now);
    const rest = { id: 'a'.repeat(24), patient: { value: 'x' }, sections: {} };
    store.put('1|anna|se|1', rest.id, rest);
    expect(store.take('1|bertil|se|1', rest.id)).toBeUndefined();
    expect(store.take('2|anna|se|1', rest.id)).toBeUndefined();
    expect(store.take('1|anna|se|1', rest.id)).toBe(rest);
    expect(store.take('1|anna|se|1', rest.id)).toBeUndefined();
    store.put('1|anna|se|1', rest.id, rest);
    now += PART_KEPT_MS + 1;
    expect(store.take('1|anna|se|1', rest.id)).toBeUndefined();
    for (let i = 0; i < 6; i++) store.put('v', `id-${i}`, rest);
    expect(store.take('v', 'id-0')).toBeUndefined();
    expect(store.take('v', 'id-5')).toBe(rest);
    store.put('v', 'id-9', rest);
    store.clear();
    expect(store.take('v', 'id-9')).toBeUndefined();
  });
});
