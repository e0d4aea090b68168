/**
 * The unchanged marker (issue 13): an update whose sections equal those the
 * renderer holds travels as its head, per viewer; anything else whole.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createUnchangedTracker, sectionsFingerprint, type Viewer } from '../../../../src/main/bridge/unchangedSections';
import { preserialized } from '../../../../src/main/summary/summaryAnswer';
import { toAsciiJson } from '../../../../src/main/cache/asciiJson';
import { SECTION_KEYS, type ClinicalItem, type MergedItem, type Sections, type Summary } from '../../../../src/shared/summary';

const T0 = '2026-11-30T08:00:00.000Z';
const T1 = '2026-11-30T09:00:00.000Z';

function item(id: string, fetchedAt: string, cached: boolean, text = 'Penicillin'): MergedItem {
  const provenance = { sourceId: 'region-nord', sourceName: 'Region Nord', recordId: id, fetchedAt, ...(cached ? { cached: true } : {}) };
  return { id, section: 'allergies', text, sources: [provenance] } as unknown as MergedItem & ClinicalItem;
}

function sections(fetchedAt: string, cached: boolean, text?: string): Sections {
  const s = Object.fromEntries(SECTION_KEYS.map((k) => [k, []])) as unknown as Sections;
  s.allergies = [item('a1', fetchedAt, cached, text), item('a2', fetchedAt, cached)] as Sections['allergies'];
  return s;
}

function summary(seq: number, final: boolean, secs: Sections, openId = 'open-1', patient = '191212121212'): Summary {
  return {
    patient: { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: patient } },
    sections: secs,
    sources: [{ sourceId: 'region-nord', name: 'Region Nord', state: 'ok', itemCount: 2 }],
    generatedAt: T1,
    fromCache: false,
    hiddenSealed: 0,
    progress: { openId, seq, final },
  } as Summary;
}

const nurse: Viewer = { generation: 1, userId: 'anna.nurse', patientKey: 'se|191212121212' };

describe('unchanged sections', () => {
  it('a fresh answer equal to the cached one (but for fetch times and cached marks) goes as its head, with each source’s new freshness', () => {
    const tracker = createUnchangedTracker();
    const cached = summary(0, false, sections(T0, true));
    const { sections: cachedSections, ...head } = cached;
    // As summary.open answers from the cache: an envelope with the stored JSON.
    tracker.answered(nurse, preserialized(head, Buffer.from(toAsciiJson(cachedSections), 'latin1')));
    const payload = tracker.payload(nurse, summary(1, true, sections(T1, false)));
    expect('unchanged' in payload).toBe(true);
    if (!('unchanged' in payload)) return;
    expect(payload.unchanged).not.toHaveProperty('sections');
    expect(payload.unchanged.sameSince).toBe(0);
    expect(payload.unchanged.progress).toEqual({ openId: 'open-1', seq: 1, final: true });
    expect(payload.unchanged.freshness).toEqual({ 'region-nord': { fetchedAt: T1, cached: false } });
  });

  it('changed content, another count or mixed fetch times within a source go whole', () => {
    const tracker = createUnchangedTracker();
    tracker.answered(nurse, summary(0, false, sections(T0, true)));
    expect('summary' in tracker.payload(nurse, summary(1, false, sections(T1, false, 'Penicillin V')))).toBe(true);
    const fewer = sections(T1, false);
    fewer.allergies = fewer.allergies.slice(0, 1);
    expect('summary' in tracker.payload(nurse, summary(2, false, fewer))).toBe(true);
    const mixed = sections(T1, false);
    (mixed.allergies[1] as MergedItem).sources[0]!.fetchedAt = T0;
    expect('summary' in tracker.payload(nurse, summary(3, false, mixed))).toBe(true);
  });

  it('compares with the last sections sent: sameSince is the seq they were first sent at', () => {
    const tracker = createUnchangedTracker();
    tracker.answered(nurse, summary(0, false, sections(T0, true)));
    expect('summary' in tracker.payload(nurse, summary(1, false, sections(T1, false, 'Other')))).toBe(true);
    const again = tracker.payload(nurse, summary(2, false, sections(T1, false, 'Other')));
    expect('unchanged' in again && again.unchanged.sameSince).toBe(1);
    const last = tracker.payload(nurse, summary(3, true, sections(T1, false, 'Other')));
    expect('unchanged' in last && last.unchanged.sameSince).toBe(1);
    // The final update ends the open: nothing is kept for it.
    expect('summary' in tracker.payload(nurse, summary(4, false, sections(T1, false, 'Other')))).toBe(true);
  });

  it('never crosses viewers: another user, session generation, patient or open gets the whole summary', () => {
    for (const other of [
      { ...nurse, userId: 'erik.doctor' },
      { ...nurse, generation: 2 },
      { ...nurse, patientKey: 'se|199010102383' },
    ]) {
      const tracker = createUnchangedTracker();
      tracker.answered(nurse, summary(0, false, sections(T0, true)));
      expect('summary' in tracker.payload(other, summary(1, false, sections(T1, false)))).toBe(true);
    }
    const tracker = createUnchangedTracker();
    tracker.answered(nurse, summary(0, false, sections(T0, true), 'open-1'));
    expect('summary' in tracker.payload(nurse, summary(1, false, sections(T1, false), 'open-2'))).toBe(true);
  });

  it('a cleared tracker (sign-out, switch, lock, reveal) sends the next update whole', () => {
    const tracker = createUnchangedTracker();
    tracker.answered(nurse, summary(0, false, sections(T0, true)));
    tracker.clear();
    expect('summary' in tracker.payload(nurse, summary(1, false, sections(T1, false)))).toBe(true);
  });

  it('the fingerprint leaves out only the provenance’s fetch time and cached mark', () => {
    expect(sectionsFingerprint(sections(T0, true)).fingerprint).toBe(sectionsFingerprint(sections(T1, false)).fingerprint);
    expect(sectionsFingerprint(sections(T0, true)).fingerprint).not.toBe(sectionsFingerprint(sections(T0, true, 'Latex')).fingerprint);
  });
});

describe('unchanged sections: the fingerprint in pieces (ADR 0040)', () => {
  /** The fingerprint as it was defined: SHA-256 of the whole JSON text, provenance fetch times and cached marks left out. */
  function wholeText(secs: unknown): string {
    const json = JSON.stringify(secs, function (this: unknown, key: string, value: unknown) {
      const holder = this as Record<string, unknown> | null;
      const provenance = typeof holder === 'object' && holder !== null && 'sourceId' in holder && 'recordId' in holder && 'fetchedAt' in holder;
      return (key === 'fetchedAt' || key === 'cached') && provenance ? undefined : value;
    });
    return createHash('sha256').update(json).digest('base64');
  }

  /** Heavy-like sections: many items, text past Latin-1, provenance nested in each item's sources. */
  function large(n: number, fetchedAt: string, cached: boolean): Sections {
    const s = sections(fetchedAt, cached);
    s.allergies = Array.from({ length: n }, (_, i) => item(`a${i}`, fetchedAt, cached, `Jordnötter – ${i} ✓ ${'x'.repeat(200)}`)) as Sections['allergies'];
    return s;
  }

  /** The longest string JSON.stringify returns, and the longest text JSON.parse reads, while `fn` runs. */
  function longestJson(fn: () => void): number {
    const { stringify, parse } = JSON;
    let longest = 0;
    JSON.stringify = ((...args: Parameters<typeof stringify>) => {
      const out = stringify(...args);
      if (typeof out === 'string') longest = Math.max(longest, out.length);
      return out;
    }) as typeof stringify;
    JSON.parse = ((text: string, reviver?: Parameters<typeof parse>[1]) => {
      longest = Math.max(longest, text.length);
      return parse(text, reviver);
    }) as typeof parse;
    try {
      fn();
    } finally {
      JSON.stringify = stringify;
      JSON.parse = parse;
    }
    return longest;
  }

  it('is the digest of the whole JSON text, members without JSON left out and elements without JSON as null', () => {
    const secs = large(50, T0, true) as unknown as Record<string, unknown>;
    expect(sectionsFingerprint(secs as unknown as Sections).fingerprint).toBe(wholeText(secs));
    const odd = { ...secs, extra: undefined, medications: [undefined, { id: 'm1', note: 'Åsa' }, () => 1] };
    expect(sectionsFingerprint(odd as unknown as Sections).fingerprint).toBe(wholeText(odd));
  });

  it('never makes the whole JSON text of the sections, nor parses a cached answer whole, to compare an update', () => {
    const secs = large(3000, T0, true);
    const whole = JSON.stringify(secs).length;
    expect(longestJson(() => sectionsFingerprint(large(3000, T1, false)))).toBeLessThan(whole / 100);
    // A cached answer (stored bytes) followed by the fresh update: the same, and compared item by item.
    const tracker = createUnchangedTracker();
    const { sections: cachedSections, ...head } = summary(0, false, secs);
    tracker.answered(nurse, preserialized(head, Buffer.from(toAsciiJson(cachedSections), 'latin1')));
    const fresh = summary(1, false, large(3000, T1, false));
    let payload: ReturnType<typeof tracker.payload> | undefined;
    expect(longestJson(() => (payload = tracker.payload(nurse, fresh)))).toBeLessThan(whole / 100);
    expect(payload && 'unchanged' in payload).toBe(true);
  });
});
