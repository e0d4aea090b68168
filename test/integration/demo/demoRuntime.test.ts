/**
 * The composition root as the demo uses it: the demo configuration starts
 * every sandbox it names, and one summary combines FHIR and HL7 v2. The
 * product's runtime alone starts no sandbox and shows such sources as disabled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfigPath } from '../../../src/main/platform/paths';
import { startRuntime } from '../../../src/main/app/runtime';
import { startDemoRuntime, type DemoRuntime } from '../../../src/main/demo/demoRuntime';
import { fileKeyProvider } from '../../../src/main/cache/keyProvider';
import { openFinal } from '../../fixtures/openFinal';
import { signInForTest } from '../../fixtures/session';

let runtime: DemoRuntime;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'samsyn-runtime-'));
  runtime = await startDemoRuntime({
    configPath: defaultConfigPath(),
    transport: 'preview',
    dataDir,
    keyProvider: fileKeyProvider(join(dataDir, 'cache.key'), { create: true }),
  });
});

afterAll(async () => {
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('runtime on the demo configuration', () => {
  it('points every sandbox source at a running sandbox on 127.0.0.1', () => {
    expect(runtime.sandboxes).toHaveLength(runtime.config.sources.length);
    for (const source of runtime.config.sources) {
      const where = 'baseUrl' in source ? source.baseUrl : 'host' in source ? source.host : (source as { folder?: unknown }).folder;
      expect(String(where)).not.toMatch(/^sandbox:/);
    }
  });

  it('starts signed out and signs in as each local directory user (issue 10)', async () => {
    const start = await runtime.services.handlers['session.get']({});
    if (!start.ok) throw new Error(start.error.code);
    expect(start.value.user).toBeUndefined();
    expect(start.value.provider.kind).toBe('local');
    const users = start.value.users ?? [];
    expect(users.map((u) => u.role)).toEqual(expect.arrayContaining(['nurse', 'municipalCare', 'dental']));
    for (const u of users) {
      const signedIn = await runtime.services.handlers['session.signIn']({ userId: u.userId });
      expect(signedIn.ok && signedIn.value.session.user).toMatchObject({ userId: u.userId, displayName: u.displayName, careUnit: u.careUnit, organisation: u.organisation });
    }
    await runtime.services.handlers['session.signOut']({});
  });

  it('opens one summary from FHIR regions and HL7 v2 sources together', async () => {
    await signInForTest(runtime.services);
    const answer = await openFinal(runtime.services, '19121212-1212');
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    const summary = answer.final;
    const states = Object.fromEntries(summary.sources.map((s) => [s.sourceId, s.state]));
    expect(states).toEqual({
      'region-nord': 'ok',
      'region-syd': 'ok',
      'helse-vest': 'ok',
      hus: 'ok',
      'nll-se': 'ok',
      hemmonitorering: 'ok',
      'mvc-syd': 'ok',
      'kommun-vast': 'ok',
      'lab-ost-files': 'ok',
    });
    const kinds = new Set(Object.values(summary.sections).flat().flatMap((i) => i.sources.map((p) => p.sourceId)));
    expect(kinds.has('kommun-vast')).toBe(true);
    expect(kinds.has('region-nord')).toBe(true);
    // Kommun Väst codes atorvastatin by NPL-id only; the demo's drug-code table gives its ATC,
    // so it stands with Region Syd's on one item instead of as a second, unmatched drug.
    const atorvastatin = summary.sections.medications.filter((m) => /atorvastatin/i.test(m.text) && !m.details.nationalList);
    expect(atorvastatin).toHaveLength(1);
    expect(new Set(atorvastatin[0]?.sources.map((s) => s.sourceId))).toEqual(new Set(['region-syd', 'kommun-vast']));
    // Kommun Väst prescribes metoprolol twice a day (RXE-1 BID), Region Nord once a day (Dosage.timing): a difference shown, not resolved.
    const metoprolol = summary.sections.medications.find((m) => /metoprolol/i.test(m.text) && !m.details.nationalList && m.sources.some((s) => s.sourceId === 'kommun-vast'));
    expect(metoprolol?.conflicts).toContainEqual({ field: 'frequency', values: [{ sourceId: 'kommun-vast', value: '2×/d' }, { sourceId: 'region-nord', value: '1×/d' }] });
    expect(metoprolol?.reconciliation?.class).toBe('similar');
  });

  it("shows Elsa (a girl's official test number) from HL7 v2 with her sex, her anaphylaxis as critical, and no pregnancy data", async () => {
    await signInForTest(runtime.services);
    const answer = await openFinal(runtime.services, '20170102-2384');
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    const summary = answer.final;
    // Her number implies a girl born 2017-01-02: her records agree, so no source is rejected for demographics.
    expect(summary.sources.find((s) => s.sourceId === 'kommun-vast')).toMatchObject({ state: 'ok' });
    expect(summary.sources.filter((s) => s.error === 'PATIENT_DEMOGRAPHICS_MISMATCH')).toEqual([]);
    expect(summary.patient).toMatchObject({ gender: 'female', birthDate: '2017-01-02' });
    const peanut = summary.sections.allergies.find((i) => /jordnöt|peanut/i.test(i.text));
    expect(peanut?.critical).toBe(true);
    expect(summary.sections.pregnancy).toEqual([]);
  });
});

describe('the product runtime on the demo configuration, without the demo', () => {
  it('starts no simulated system and shows every sandbox source as disabled, with the reason', async () => {
    const productDir = mkdtempSync(join(tmpdir(), 'samsyn-product-'));
    const product = await startRuntime({
      configPath: defaultConfigPath(),
      transport: 'preview',
      dataDir: productDir,
      keyProvider: fileKeyProvider(join(productDir, 'cache.key'), { create: true }),
    });
    try {
      await signInForTest(product.services);
      const answer = await openFinal(product.services, '19121212-1212');
      expect(answer.ok).toBe(true);
      if (!answer.ok) return;
      const summary = answer.final;
      expect(summary.sources.length).toBeGreaterThan(0);
      for (const source of summary.sources) {
        expect(source).toMatchObject({ state: 'disabled', error: 'SOURCE_DISABLED', itemCount: 0 });
      }
    } finally {
      await product.close();
      rmSync(productDir, { recursive: true, force: true });
    }
  });
});
