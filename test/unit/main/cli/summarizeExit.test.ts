/**
 * `samsyn summarize`'s exit code for its files' statuses (issue 14 probe,
 * docs/issue-14-probes.md): a file whose records passed a limit used to end as a silent exit
 * 3, the code for "a file about another patient". It is a file that cannot be
 * read: exit 2 with one coded line naming the file by position and the limit.
 * (The real run — a Bundle file of 100,001 records — takes half a minute, so
 * the decision is tested here on the statuses the summary service gives.)
 */
import { describe, expect, it } from 'vitest';
import { exitForSources } from '../../../../src/main/cli/summarizeCommand';
import { EXIT } from '../../../../src/main/cli/exitCodes';
import type { SourceStatus } from '../../../../src/shared/summary';

function run(sources: SourceStatus[]): { code: number; err: string } {
  let err = '';
  const code = exitForSources({ sources }, { err: (t) => (err += t) });
  return { code, err };
}

const ok: SourceStatus = { sourceId: 'file-1', name: 'a.json', state: 'ok', itemCount: 3 };

describe('summarize: the exit code for its files', () => {
  it('is 0 when every file was about the patient, with nothing on stderr', () => {
    expect(run([ok])).toEqual({ code: EXIT.ok, err: '' });
  });

  it('is 3 for a file about another patient', () => {
    expect(run([ok, { sourceId: 'file-2', name: 'b.json', state: 'rejected', error: 'PATIENT_MISMATCH', itemCount: 0 }]).code).toBe(EXIT.rejected);
  });

  it('is 2 for a file over the records limit, said by position with the limit, never the file name', () => {
    const tooMany: SourceStatus = {
      sourceId: 'file-2',
      name: '19121212-1212 Tolvan.json',
      state: 'failed',
      error: 'SOURCE_RESPONSE_TOO_LARGE',
      itemCount: 0,
      limit: { name: 'items', max: 100_000 },
    };
    const { code, err } = run([ok, tooMany]);
    expect(code).toBe(EXIT.badFile);
    expect(err).toBe('samsyn: SOURCE_RESPONSE_TOO_LARGE: file 2 answered with more than the items limit (100000)\n');
    expect(err).not.toContain('19121212');
    expect(err).not.toContain('Tolvan');
  });

  it('is 2 when one file failed and another was about someone else', () => {
    const rejected: SourceStatus = { sourceId: 'file-1', name: 'a.json', state: 'rejected', error: 'PATIENT_MISMATCH', itemCount: 0 };
    const timedOut: SourceStatus = { sourceId: 'file-3', name: 'c.hl7', state: 'timeout', error: 'SOURCE_TIMEOUT', itemCount: 0 };
    const { code, err } = run([rejected, timedOut]);
    expect(code).toBe(EXIT.badFile);
    expect(err).toMatch(/^samsyn: SOURCE_TIMEOUT: file 3 /);
  });
});
