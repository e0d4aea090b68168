/**
 * The recently-stopped window is a setting (`summary.recentlyStoppedDays` in
 * the configuration, default about six months), and it decides where a
 * stopped medication stands.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/main/app/config';
import { createServices } from '../../../src/main/app/createServices';
import { createLogger } from '../../../src/main/platform/logger';
import type { SourceAdapter } from '../../../src/main/sources/types';
import { openFinal } from '../../fixtures/openFinal';
import { signInForTest } from '../../fixtures/session';

const NOW = new Date('2026-11-29T12:00:00Z');

const pharmacy: SourceAdapter = {
  id: 'apotek',
  name: 'Apoteket',
  kind: 'memory',
  timeoutMs: 1_000,
  fetchPatient: async (query) => ({
    subjects: [{ identifiers: [query.identifier] }],
    fetchedAt: NOW.toISOString(),
    items: [
      {
        section: 'medications',
        codes: [{ system: 'http://www.whocc.no/atc', code: 'A02BC01' }],
        text: 'Omeprazol 20 mg',
        status: 'stopped',
        details: { recordKind: 'prescribed', periodEnd: '2026-09-30' },
        sealed: false,
        provenance: { sourceId: 'apotek', sourceName: 'Apoteket', recordId: 'R/1', fetchedAt: NOW.toISOString() },
      },
    ],
  }),
};

async function groupWith(settings: Record<string, unknown>) {
  const config = parseConfig({ sources: [], ...settings });
  const services = createServices({ config, sources: [pharmacy], clock: { now: () => NOW }, logger: createLogger('test'), transport: 'preview', version: 't' });
  await signInForTest(services);
  const answer = await openFinal(services, '19121212-1212');
  if (!answer.ok) throw new Error(answer.error.code);
  return answer.final.sections.medications[0]?.group;
}

describe('recently stopped medications', () => {
  it('uses the configured window: stopped 60 days ago is recent by default, history with a 30-day window', async () => {
    expect(await groupWith({})).toBe('recentlyStopped');
    expect(await groupWith({ summary: { recentlyStoppedDays: 30 } })).toBe('history');
  });

  it('refuses a window that is not a whole number of days', () => {
    expect(() => parseConfig({ sources: [], summary: { recentlyStoppedDays: -1 } })).toThrow();
  });
});
