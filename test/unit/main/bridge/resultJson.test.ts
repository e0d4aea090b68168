/**
 * The cached answer's fast path: sections kept as the stored JSON, spliced into
 * the HTTP answer as they are, parsed only for whoever reads them; and the
 * ASCII-only JSON that makes the preview's answer cheap for Chromium to read.
 */
import { describe, expect, it } from 'vitest';
import { escapeNonAscii, toAsciiJson } from '../../../../src/main/cache/asciiJson';
import { encodeResult } from '../../../../src/main/bridge/resultJson';
import { materializeResult } from '../../../../src/main/bridge/dispatch';
import { isPreserialized, materializeSummary, preserialized, type PreserializedSummary } from '../../../../src/main/summary/summaryAnswer';
import { emptySections, type MergedItem, type Summary } from '../../../../src/shared/summary';

function sections(): Summary['sections'] {
  const item: MergedItem = {
    key: 'results:loinc|718-7@2026-10-27',
    section: 'results',
    codes: [{ system: 'http://loinc.org', code: '718-7', display: 'B—Hemoglobin' }],
    text: 'B-Hb på morgonen 😀',
    value: { value: 124, unit: 'g/L' },
    details: { referenceRange: [{ text: '134–170 g/L' }] },
    sealed: false,
    sources: [{ sourceId: 'region-nord', sourceName: 'Region Nord', recordId: 'Observation/1', fetchedAt: '2026-11-25T08:00:00Z', cached: true }],
    conflicts: [],
  };
  return { ...emptySections(), results: [item] };
}

function cachedSummary(): PreserializedSummary {
  return preserialized(
    {
      patient: { identifier: { system: 'urn:test', value: '1' }, name: 'Åsa Öberg' },
      sources: [{ sourceId: 'region-nord', name: 'Region Nord', state: 'cached', fetchedAt: '2026-11-25T08:00:00Z', itemCount: 1, refreshing: true }],
      generatedAt: '2026-11-25T09:00:00Z',
      fromCache: true,
      hiddenSealed: 0,
      refreshing: true,
    },
    Buffer.from(toAsciiJson(sections()), 'latin1'),
  );
}

describe('ASCII-only JSON', () => {
  it('escapes every non-ASCII character and parses back to the same value', () => {
    const value = { text: 'Ålder — 😀 ö', n: 1 };
    const json = toAsciiJson(value);
    expect(/[^\x20-\x7e]/.test(json)).toBe(false);
    expect(JSON.parse(json)).toEqual(value);
    expect(escapeNonAscii(JSON.stringify('\u007f'))).toBe('"\\u007f"');
  });
});

describe('the pre-serialized envelope', () => {
  it('materializes to the stored sections, a new object each time, the stored bytes unchanged', () => {
    const answer = cachedSummary();
    const bytes = Buffer.from(answer.sectionsJson);
    const summary = materializeSummary(answer);
    expect(summary.sections).toEqual(sections());
    expect(summary.patient.name).toBe('Åsa Öberg');
    // A reader may change what it got; the envelope is not affected.
    summary.sections.results = [];
    expect(materializeSummary(answer).sections).toEqual(sections());
    expect(answer.sectionsJson.equals(bytes)).toBe(true);
  });

  it('becomes plain data for a transport that clones (what Electron IPC does)', () => {
    const result = materializeResult({ ok: true, value: cachedSummary() });
    expect(result.ok && isPreserialized(result.value)).toBe(false);
    expect(structuredClone(result)).toEqual({ ok: true, value: materializeSummary(cachedSummary()) });
    const plain: Summary = { ...materializeSummary(cachedSummary()) };
    expect(materializeResult({ ok: true, value: plain })).toEqual({ ok: true, value: plain });
  });
});

describe('encodeResult', () => {
  it('sends a cached summary with its stored sections spliced in: the same value as plain JSON', () => {
    const summary = cachedSummary();
    const bytes = encodeResult({ ok: true, value: summary });
    // The stored bytes themselves are in the answer: not parsed and serialized again.
    expect(bytes.includes(summary.sectionsJson)).toBe(true);
    expect(bytes.every((b) => b < 0x80)).toBe(true);
    const expected = JSON.parse(JSON.stringify({ ok: true, value: materializeSummary(cachedSummary()) }));
    expect(JSON.parse(bytes.toString('latin1'))).toEqual(expected);
  });

  it('sends any other result as ASCII-only JSON', () => {
    const plain = { ok: true as const, value: { name: 'Åsa', sections: emptySections() } };
    const bytes = encodeResult(plain);
    expect(bytes.every((b) => b < 0x80)).toBe(true);
    expect(JSON.parse(bytes.toString('latin1'))).toEqual(plain);
    const failure = { ok: false as const, error: { code: 'INTERNAL' as const } };
    expect(JSON.parse(encodeResult(failure).toString('latin1'))).toEqual(failure);
  });
});
