import { describe, expect, it } from 'vitest';
import { escapeSearchValue, mapWithLimit, toSourceError } from '../../../../../src/main/sources/fhir/fhirHttp';
import { CodedError } from '../../../../../src/shared/errors';

describe('escapeSearchValue', () => {
  it('escapes the FHIR token separators so a value cannot split the token', () => {
    expect(escapeSearchValue('urn:oid:1.2.752.129.2.1.3.1')).toBe('urn:oid:1.2.752.129.2.1.3.1');
    expect(escapeSearchValue('a|b,c$d\\e')).toBe('a\\|b\\,c\\$d\\\\e');
  });
});

describe('mapWithLimit', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapWithLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running -= 1;
      return n * 10;
    });
    expect(out).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(peak).toBe(3);
  });

  it('starts nothing new after a failure', async () => {
    const started: number[] = [];
    await expect(
      mapWithLimit([1, 2, 3, 4, 5], 1, async (n) => {
        started.push(n);
        if (n === 2) throw new CodedError('SOURCE_HTTP_ERROR', { status: 500 });
        return n;
      }),
    ).rejects.toThrow('SOURCE_HTTP_ERROR');
    expect(started).toEqual([1, 2]);
  });
});

describe('toSourceError', () => {
  it('classifies aborts, coded errors and network failures', () => {
    const live = new AbortController().signal;
    expect(toSourceError(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }), live).code).toBe('SOURCE_UNREACHABLE');
    const coded = new CodedError('SOURCE_BAD_RESPONSE');
    expect(toSourceError(coded, live)).toBe(coded);
    const aborted = new AbortController();
    aborted.abort();
    expect(toSourceError(new Error('x'), aborted.signal).code).toBe('SOURCE_TIMEOUT');
  });
});
