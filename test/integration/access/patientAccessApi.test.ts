/**
 * Who may see what, through the same handlers the app and the preview serve
 * (issue 10 items 3–6): each role signed in from the local directory opens the
 * same patients over real sandbox regions — Swedish, a Norwegian one (Helse
 * Vest, sperret) and a Finnish one (HUS, luovutuskielto) — and every access
 * lands in a real encrypted access log, whose chain stays intact.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../src/main/app/createServices';
import { readConfig } from '../../../src/main/app/config';
import { openAccessLog, type AccessLog } from '../../../src/main/audit';
import { openCache } from '../../../src/main/cache/openCache';
import { createLogger } from '../../../src/main/platform/logger';
import { sandboxPatient } from '../../../src/main/sandbox/fhirData';
import { startFhirSandbox, type FhirSandbox } from '../../../src/main/sandbox/fhirServer';
import { materializeSummary, type SummaryAnswer } from '../../../src/main/summary/summaryAnswer';
import type { Summary } from '../../../src/shared/summary';
import { openFinal } from '../../fixtures/openFinal';
import { createPushFollower } from '../../fixtures/pushedSummaries';
import type { EventPayload } from '../../../src/shared/api';
import { signInForTest } from '../../fixtures/session';

const NOW = new Date('2026-11-25T10:00:00Z');
const clock = { now: () => NOW };
const logger = createLogger('test');
const TOLVAN = '19121212-1212';
const KARI = sandboxPatient('kari').identifier.value;
const MATTI = sandboxPatient('matti').identifier.value;
let regions: FhirSandbox[] = [];
let dir: string;
let log: AccessLog;
let services: Services;

const codes = (s: Summary, section: keyof Summary['sections']) => s.sections[section].flatMap((i) => i.codes.map((c) => c.code));
const summaryOf = (answer: { ok: boolean; value?: unknown }) => materializeSummary(answer.value as SummaryAnswer);

beforeAll(async () => {
  regions = await Promise.all(['nord', 'syd', 'vest', 'hus'].map((region) => startFhirSandbox({ region })));
  const [nord, syd, vest, hus] = regions as [FhirSandbox, FhirSandbox, FhirSandbox, FhirSandbox];
  dir = mkdtempSync(join(tmpdir(), 'samsyn-access-'));
  log = openAccessLog({ dir, keyProvider: { kind: 'test', getKey: () => Buffer.alloc(32, 7) }, clock, logger });
  const config = readConfig({
    sources: [
      { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 5_000 },
      { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 5_000 },
      { id: 'helse-vest', name: 'Helse Vest', kind: 'fhir-r4', baseUrl: vest.url, timeoutMs: 5_000, access: { law: 'NO' } },
      { id: 'hus', name: 'HUS', kind: 'fhir-r4', baseUrl: hus.url, timeoutMs: 5_000, access: { law: 'FI' } },
    ],
  });
  // With the encrypted cache: a user's reveal must never reach the shared stored summary.
  const cache = openCache({ dir, keyProvider: { kind: 'test', getKey: () => Buffer.alloc(32, 9) }, clock, logger });
  services = createServices({ config, clock, logger, transport: 'preview', version: 'test', accessLog: { log }, cache });
});

afterAll(async () => {
  await services.summary.settled();
  await Promise.all(regions.map((r) => r.close()));
  log.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openAs(userId: string, patient: string): Promise<Summary> {
  await signInForTest(services, userId);
  const opened = await openFinal(services, patient);
  if (!opened.ok) throw new Error(opened.error.code);
  return opened.final;
}

describe('each role receives its own view, from the main process', () => {
  it('a nurse receives every section; dental care only allergies and what changes dental treatment; municipal care its own order', async () => {
    const nurse = await openAs('anna.nurse', TOLVAN);
    expect(nurse.view?.role).toBe('nurse');
    expect(codes(nurse, 'medications')).toEqual(expect.arrayContaining(['B01AF02', 'C07AB02']));
    expect(nurse.sections.problems.length).toBeGreaterThan(0);

    const dental = await openAs('maria.dental', TOLVAN);
    expect(dental.view).toMatchObject({ role: 'dental', filtered: ['medications', 'problems', 'procedures', 'results'] });
    expect(new Set(codes(dental, 'medications'))).toEqual(new Set(['B01AF02']));
    expect(dental.sections.allergies.length).toBe(nurse.sections.allergies.length);
    expect(dental.sections.immunizations).toEqual([]);
    expect(dental.sections.encounters).toEqual([]);
    expect(codes(dental, 'results')).toEqual(['6301-6']);

    const homeCare = await openAs('erik.homecare', TOLVAN);
    expect(homeCare.view?.sections.slice(0, 5)).toEqual(['alerts', 'allergies', 'homeMeasurements', 'medications', 'carePlans']);
    expect(homeCare.sections.procedures).toEqual([]);
  });

  it('a pushed update reaches the renderer already filtered for the role', async () => {
    await signInForTest(services, 'maria.dental');
    const pushed: Summary[] = [];
    const follower = createPushFollower();
    const stop = services.events.subscribe((event, payload) => {
      if (event === 'summary.updated') pushed.push(follower.follow(payload as EventPayload<'summary.updated'>));
    });
    const opened = await services.handlers['summary.open']({ patient: TOLVAN, purpose: 'care' });
    if (opened.ok) follower.answered(materializeSummary(opened.value as SummaryAnswer));
    await services.summary.settled();
    stop();
    expect(pushed.length).toBeGreaterThan(0);
    for (const s of pushed) {
      expect(s.view?.role).toBe('dental');
      expect(codes(s, 'medications').every((c) => c === 'B01AF02')).toBe(true);
    }
  });

  it('the IPS export holds only what the role received, and is logged', async () => {
    await signInForTest(services, 'maria.dental');
    await services.handlers['summary.open']({ patient: TOLVAN, purpose: 'care' });
    const exported = await services.handlers['summary.export']({ patient: TOLVAN, format: 'ips' });
    expect(exported.ok).toBe(true);
    const content = exported.ok ? (exported.value as { content: string }).content : '';
    expect(content).toContain('B01AF02');
    expect(content).not.toContain('C07AB02');
    const records = log.forPatient({ system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' });
    expect(records.some((r) => r.action === 'export' && r.user.role === 'dental')).toBe(true);
  });

  it('a print is logged as a print, a PDF saved by the desktop app as an export (issue 11 item 9)', async () => {
    await signInForTest(services, 'maria.dental');
    await services.handlers['summary.open']({ patient: TOLVAN, purpose: 'care' });
    const patient = { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' };
    const before = log.forPatient(patient).length;
    expect(await services.handlers['summary.print']({ patient: TOLVAN })).toEqual({ ok: true, value: {} });
    expect(await services.handlers['summary.print']({ patient: TOLVAN, output: 'pdf' })).toEqual({ ok: true, value: {} });
    const added = log.forPatient(patient).slice(before);
    expect(added.map((r) => [r.action, r.what])).toEqual([
      ['print', 'summary'],
      ['export', 'pdf'],
    ]);
  });
});

describe('purpose, emergency and the access log', () => {
  it('asks for the purpose once per patient per session, refuses an emergency without a reason, and logs each', async () => {
    await signInForTest(services, 'ingrid.nurse');
    expect(await services.handlers['summary.open']({ patient: KARI })).toEqual({ ok: false, error: { code: 'ACCESS_PURPOSE_REQUIRED' } });
    expect(await services.handlers['summary.open']({ patient: KARI, purpose: 'emergency', reason: ' ' })).toEqual({
      ok: false,
      error: { code: 'ACCESS_REASON_REQUIRED' },
    });
    expect((await services.handlers['summary.open']({ patient: KARI, purpose: 'emergency', reason: 'Bevisstløs ved ankomst' })).ok).toBe(true);
    // Stated once: the next open in this session is not asked again.
    expect((await services.handlers['summary.open']({ patient: KARI })).ok).toBe(true);
    const records = log.forPatient({ system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '14838512470' }).filter((r) => r.user.userId === 'ingrid.nurse');
    expect(records.map((r) => [r.action, r.outcome.result, r.outcome.code])).toEqual([
      ['access.refused', 'refused', 'ACCESS_PURPOSE_REQUIRED'],
      ['access.refused', 'refused', 'ACCESS_REASON_REQUIRED'],
      ['emergency.open', 'granted', undefined],
      ['emergency.open', 'granted', undefined],
    ]);
    expect(records[2]?.reason).toBe('Bevisstløs ved ankomst');
    // The sections the open showed (the nurse's view: all of them).
    expect(records[2]?.what).toMatch(/^sections alerts,allergies,medications,problems,results/);
    expect(records[2]?.user.careUnit.name).toBe('Nordbyen legekontor');
    await services.summary.settled();
  });

  it('a sign-out forgets the purpose: the next user is asked again', async () => {
    await signInForTest(services, 'anna.nurse');
    await services.handlers['summary.open']({ patient: MATTI, purpose: 'care' });
    await services.handlers['session.signOut']({});
    await signInForTest(services, 'anna.nurse');
    expect(await services.handlers['summary.open']({ patient: MATTI })).toEqual({ ok: false, error: { code: 'ACCESS_PURPOSE_REQUIRED' } });
    await services.summary.settled();
  });
});

describe('sealed information per source country', () => {
  it('Norway (Helse Vest): hidden, counted and named; opened in a declared emergency with a reason, logged', async () => {
    await signInForTest(services, 'aino.nurse');
    const opened = await openFinal(services, KARI);
    // openFinal states ordinary care: the Norwegian source's sealed records stay hidden.
    if (!opened.ok) throw new Error(opened.error.code);
    const hidden = opened.final;
    expect(codes(hidden, 'problems')).not.toContain('F32.1');
    expect(codes(hidden, 'medications')).not.toContain('N06AB06');
    expect(hidden.hiddenSealed).toBe(2);
    expect(hidden.sealed?.holders).toEqual([{ sourceId: 'helse-vest', law: 'NO', revealableWith: ['consent', 'emergency'] }]);
    // An emergency reveal needs a declared emergency; a consent reveal needs the consent recorded.
    expect(await services.handlers['summary.reveal']({ patient: KARI, sourceId: 'helse-vest', basis: 'emergency', reason: 'Akutt' })).toEqual({
      ok: false,
      error: { code: 'ACCESS_PURPOSE_REQUIRED' },
    });
    expect(await services.handlers['summary.reveal']({ patient: KARI, sourceId: 'helse-vest', basis: 'consent', reason: 'Pasienten samtykker' })).toEqual({
      ok: false,
      error: { code: 'ACCESS_CONSENT_REQUIRED' },
    });
    await services.handlers['summary.open']({ patient: KARI, purpose: 'emergency', reason: 'Bevisstløs, trenger full oversikt' });
    await services.summary.settled();
    const pushed: Summary[] = [];
    const follower = createPushFollower();
    const stop = services.events.subscribe((event, payload) => {
      if (event === 'summary.updated') pushed.push(follower.follow(payload as EventPayload<'summary.updated'>));
    });
    const revealed = await services.handlers['summary.reveal']({ patient: KARI, sourceId: 'helse-vest', basis: 'emergency', reason: 'Trenger medisinlisten' });
    expect(revealed.ok).toBe(true);
    await services.summary.settled();
    stop();
    // The reveal's answer is the open's first (every source pending, no cache here); the sources' answers follow with the sealed records.
    expect(summaryOf(revealed).progress?.seq).toBe(0);
    const final = pushed.at(-1) as Summary;
    expect(final.progress?.final).toBe(true);
    expect(codes(final, 'problems')).toContain('F32.1');
    expect(codes(final, 'medications')).toContain('N06AB06');
    expect(final.sealed?.revealed).toEqual(['helse-vest']);
    expect(final.hiddenSealed).toBe(0);
    const reveal = log.forPatient({ system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '14838512470' }).filter((r) => r.action === 'item.reveal');
    expect(reveal.map((r) => [r.outcome.result, r.reason, r.user.userId])).toEqual([['granted', 'Trenger medisinlisten', 'aino.nurse']]);
  });

  it('the revealed records never reach the shared cache or the next user', async () => {
    await services.handlers['session.signOut']({});
    await signInForTest(services, 'ingrid.nurse');
    const opened = await openFinal(services, KARI);
    if (!opened.ok) throw new Error(opened.error.code);
    // The first answer comes from the cache (the shared stored summary), then the fresh one: neither holds the sealed records.
    expect(opened.first.fromCache).toBe(true);
    for (const s of [opened.first, opened.final]) {
      expect(codes(s, 'problems')).not.toContain('F32.1');
      expect(s.sealed?.revealed ?? []).toEqual([]);
      expect(s.hiddenSealed).toBe(2);
    }
  });

  it('Finland (HUS): hidden and not told — not counted, not named, never revealable', async () => {
    const matti = await openAs('aino.nurse', MATTI);
    expect(codes(matti, 'problems')).not.toContain('F10.2');
    expect(codes(matti, 'problems')).toContain('I48.0');
    expect(matti.hiddenSealed).toBe(0);
    expect(matti.sealed?.holders).toEqual([]);
    // Not even as a count: HUS's status counts only the records shown, live and from the cache.
    expect(matti.sources.find((s) => s.sourceId === 'hus')?.itemCount).toBe(2);
    const again = await openFinal(services, MATTI);
    if (!again.ok) throw new Error(again.error.code);
    expect(again.first.fromCache).toBe(true);
    expect(again.first.sources.find((s) => s.sourceId === 'hus')?.itemCount).toBe(2);
    expect(again.first.hiddenSealed).toBe(0);
    expect(JSON.stringify(matti)).not.toContain('F10.2');
    // Never revealable, with or without consent; the answer is the same whether HUS holds anything sealed or not.
    expect(await services.handlers['summary.reveal']({ patient: MATTI, sourceId: 'hus', basis: 'consent', reason: 'Potilas suostuu' })).toEqual({
      ok: false,
      error: { code: 'SEALED_NOT_REVEALABLE' },
    });
    await services.handlers['summary.open']({ patient: MATTI, purpose: 'care', consent: true });
    expect(await services.handlers['summary.reveal']({ patient: MATTI, sourceId: 'hus', basis: 'consent', reason: 'Potilas suostuu' })).toEqual({
      ok: false,
      error: { code: 'SEALED_NOT_REVEALABLE' },
    });
    await services.summary.settled();
  });

  it('every access above is in the log, and its chain is intact', () => {
    expect(log.verify()).toMatchObject({ intact: true });
    expect(log.count()).toBeGreaterThan(20);
  });
});
