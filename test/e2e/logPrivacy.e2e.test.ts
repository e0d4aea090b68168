/**
 * Privacy in diagnostics (issue 10, item 7): with every logger at 'debug'
 * writing to a captured stream, a representative run of the integration and
 * end-to-end paths — the demo runtime over all four sandbox sources (FHIR,
 * MLLP, batch folder), every synthetic patient opened live and from the cache,
 * ids that are invalid or unknown, sources that cannot be reached, the cache
 * cleared, the access log written, verified and tampered with, the browser
 * preview in Chromium, and the command line — and then every line is scanned
 * for each synthetic patient's national ids (in the forms people type) and
 * names, for clinical text, and for token material (the preview token, the
 * installation key, bearer tokens, JWTs). One hit fails the test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureLogLines } from '../fixtures/logLines';
import { TEST_IDS } from '../fixtures/testIds';

// Before any module that logs is loaded: everything below is imported dynamically.
const lines = captureLogLines();

const KEY = Buffer.alloc(32, 0x3c);
const dir = mkdtempSync(join(tmpdir(), 'samsyn-log-privacy-'));
const tokens: string[] = [KEY.toString('hex'), KEY.toString('base64'), KEY.toString('base64url')];
const fixture = (name: string) => join(__dirname, '..', 'fixtures', name);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const USER = {
  userId: 'u-privacy',
  displayName: 'Loggtest Användare',
  role: 'nurse',
  careUnit: { id: 'unit-x', name: 'Vårdcentralen Loggby' },
  organisation: { id: 'org-x', name: 'Region Loggland' },
};

describe('diagnostics hold no patient data and no token', () => {
  it('runs the demo runtime, every source kind and patient, the access log, the preview in Chromium and the CLI with logging at debug', async () => {
    const { defaultConfigPath, rendererDir } = await import('../../src/main/platform/paths');
    const { startDemoRuntime } = await import('../../src/main/demo/demoRuntime');
    const { fileKeyProvider } = await import('../../src/main/cache/keyProvider');
    const { SANDBOX_PATIENTS } = await import('../../src/main/sandbox/fhirData');
    const { HL7_SANDBOX_PATIENTS } = await import('../../src/main/sandbox/hl7Data');
    const { createServices } = await import('../../src/main/app/createServices');
    const { createLogger } = await import('../../src/main/platform/logger');
    const { startPreviewServer } = await import('../../src/main/preview/previewServer');
    const { launchBrowser } = await import('./browser');
    const { openPatient } = await import('./stack');
    const { runCli } = await import('../../src/main/cli/index');
    const { rawLog } = await import('../integration/audit/auditFixtures');

    const keyFile = join(dir, 'cache.key');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(keyFile, KEY.toString('hex') + '\n', { mode: 0o600 });
    const runtime = await startDemoRuntime({
      configPath: defaultConfigPath(),
      transport: 'preview',
      dataDir: dir,
      keyProvider: fileKeyProvider(keyFile, { create: false }),
    });
    const patients = [...SANDBOX_PATIENTS.map((p) => p.identifier.value), ...HL7_SANDBOX_PATIENTS.map((p) => p.value)];
    try {
      const { handlers } = runtime.services;
      const { signInForTest } = await import('../fixtures/session');
      await signInForTest(runtime.services);
      for (const id of patients) {
        expect((await handlers['summary.open']({ patient: id, purpose: 'care' })).ok).toBe(true);
        await runtime.services.summary.settled();
        // Again: from the cache, then refreshed.
        expect((await handlers['summary.open']({ patient: id, purpose: 'care' })).ok).toBe(true);
        await runtime.services.summary.settled();
        runtime.accessLog.log!.append({
          user: USER,
          patient: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: id },
          purpose: 'emergency',
          reason: 'Medvetslös vid ankomst',
          action: 'emergency.open',
          outcome: { result: 'granted' },
        });
      }
      await handlers['summary.open']({ patient: '19121212-1213', purpose: 'care' });
      await handlers['summary.open']({ patient: '19121212-1212', purpose: 'care' });
      await handlers['summary.open']({ patient: `urn:oid:1.2.752.129.2.1.3.1|${TEST_IDS.se.tage.value}` });
      await handlers['summary.open']({ patient: 'urn:oid:9.9.9|LOCAL-42', purpose: 'care' });
      await runtime.services.summary.settled();
      await handlers['cache.status']({});

      // The browser preview over the same handlers, as a clinician uses it.
      const preview = await startPreviewServer({ handlers, events: runtime.services.events, staticDir: rendererDir() });
      tokens.push(preview.token);
      const browser = await launchBrowser();
      try {
        const page = await browser.context.newPage();
        await page.goto(preview.url);
        for (const text of ['19121212-1212', SANDBOX_PATIENTS[1]!.identifier.value, SANDBOX_PATIENTS[2]!.identifier.value]) {
          await openPatient(page, text);
          await page.getByTestId('patient-banner').waitFor();
        }
        await openPatient(page, '19121212-1213');
        await page.waitForTimeout(200);
      } finally {
        await browser.close();
        await preview.close();
      }
      await runtime.services.summary.settled();
      await handlers['cache.clear']({});
    } finally {
      await runtime.close();
    }

    // Sources that cannot be reached (a closed port for FHIR and for MLLP).
    const unreachable = createServices({
      config: {
        sources: [
          { id: 'down-fhir', name: 'Down FHIR', kind: 'fhir-r4', baseUrl: 'http://127.0.0.1:9/fhir', timeoutMs: 2_000, pageSize: 50, enabled: true },
          {
            id: 'down-mllp',
            name: 'Down MLLP',
            kind: 'hl7v2-mllp',
            host: '127.0.0.1',
            port: 9,
            timeoutMs: 2_000,
            query: 'QBP^Q11',
            version: '2.5',
            queryName: 'Z01^Patient summary^L',
            profile: { sendingApplication: 'A', sendingFacility: 'B', receivingApplication: 'C', receivingFacility: 'D' },
            enabled: true,
          },
        ],
      },
      clock: { now: () => new Date() },
      logger: createLogger('privacy'),
      transport: 'preview',
      version: '0.0.0',
    });
    await unreachable.handlers['summary.open']({ patient: '19121212-1212', purpose: 'care' });
    await unreachable.summary.settled();

    // The command line: summarize FHIR and HL7 v2 files, a file about another patient, the cache and the access log.
    const env = { SAMSYN_DATA_DIR: dir, SAMSYN_CACHE_KEY: KEY.toString('hex') };
    const io = { out: () => undefined, err: () => undefined, now: () => new Date(), env };
    await runCli(['summarize', fixture('bundles/tolvan-nord.json'), fixture('bundles/other-patient.json'), '--patient', '19121212-1212', '--json'], io);
    await runCli(['summarize', fixture('hl7/oru-latin1-tolvan.hl7'), fixture('hl7/batch-two-patients.hl7'), '--patient', '191212121212'], io);
    await runCli(['summarize', fixture('bundles/broken.json'), '--patient', '191212121212'], io);
    await runCli(['cache', 'verify', '--dir', dir], io);
    await runCli(['audit', 'verify', '--dir', dir], io);
    await runCli(['audit', 'export', '--patient', '19121212-1212', '--dir', dir], io);
    const db = rawLog(dir, KEY);
    db.exec("UPDATE access_log SET record = replace(record, 'Medvetslös', 'Vaken') WHERE seq = 1");
    db.close();
    await runCli(['audit', 'verify', '--dir', dir], io);
    await runCli(['audit', 'export', '--patient', '19121212-1212', '--dir', dir, '--format', 'json'], io);

    // The capture saw the run: every layer logged, debug lines included.
    const parsed = lines.map((l) => JSON.parse(l) as { level: number; msg?: string });
    const messages = new Set(parsed.map((l) => l.msg));
    for (const msg of ['runtime started', 'cache opened', 'access log opened', 'source answered', 'source failed', 'invoke', 'cache cleared']) {
      expect(messages, msg).toContain(msg);
    }
    expect(parsed.some((l) => l.level === 20)).toBe(true);
    expect(lines.length).toBeGreaterThan(50);
    // One field once per line: a source's id bound by its logger and repeated by the adapter was written twice.
    const repeated = lines.map(repeatedTopLevelKeys).filter((keys) => keys.length > 0);
    expect(repeated.slice(0, 3)).toEqual([]);
    // Every line says what happened in words: an operator searches the log by message, and a line of bare counts was found only by its fields.
    const withoutMessage = parsed.filter((l) => typeof l.msg !== 'string' || l.msg.length === 0).map((l) => Object.keys(l).join(','));
    expect(withoutMessage.slice(0, 3)).toEqual([]);

    const hits = scan(lines, needles(patients), tokens);
    expect(hits, hits.slice(0, 5).join('\n')).toEqual([]);
  }, 240_000);
});

/** The names that occur more than once among a JSON line's own (top-level) fields. */
function repeatedTopLevelKeys(line: string): string[] {
  const seen = new Set<string>();
  const repeated: string[] = [];
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      const text = line.slice(i + 1, j);
      i = j;
      if (depth === 1 && line[j + 1] === ':') {
        if (seen.has(text)) repeated.push(text);
        seen.add(text);
      }
    }
  }
  return repeated;
}

interface Needle {
  what: string;
  pattern: RegExp;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A national id in the forms people type it: canonical, with and without century, with the separator. */
function idForms(value: string): string[] {
  const forms = new Set([value]);
  if (/^\d{12}$/.test(value)) {
    forms.add(value.slice(2));
    forms.add(`${value.slice(0, 8)}-${value.slice(8)}`);
    forms.add(`${value.slice(2, 8)}-${value.slice(8)}`);
  }
  if (/^\d{11}$/.test(value)) forms.add(`${value.slice(0, 6)} ${value.slice(6)}`);
  return [...forms];
}

function needles(patientIds: string[]): Needle[] {
  const ids = new Set(patientIds);
  const names = new Set<string>(['Tolvan Tolvansson', 'Kari Nordmann', 'Matti Meikäläinen', 'Elsa Provsson', USER.displayName]);
  for (const group of Object.values(TEST_IDS) as Array<Record<string, { value: string; name: string }>>) {
    for (const entry of Object.values(group)) {
      ids.add(entry.value);
      names.add(entry.name.replace(/\s*\(.*\)\s*/g, ''));
    }
  }
  const list: Needle[] = [];
  for (const id of ids) {
    for (const form of idForms(id)) list.push({ what: `national id ${form}`, pattern: new RegExp(`(?<![0-9A-Za-z])${escape(form)}(?![0-9A-Za-z])`, 'i') });
  }
  for (const name of names) {
    for (const part of name.split(/\s+/).filter((p) => p.length >= 4)) {
      list.push({ what: `name ${part}`, pattern: new RegExp(`(?<![\\p{L}])${escape(part)}(?![\\p{L}])`, 'u') });
    }
  }
  for (const clinical of ['penicillin', 'apixaban', 'anafylaxi', 'Medvetslös', 'diabetes']) {
    list.push({ what: `clinical text ${clinical}`, pattern: new RegExp(escape(clinical), 'i') });
  }
  list.push({ what: 'a bearer token', pattern: /bearer\s+[A-Za-z0-9._~+/-]{8,}/i });
  list.push({ what: 'a JWT', pattern: /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ });
  list.push({ what: 'an authorization header', pattern: /"authorization"/i });
  return list;
}

function scan(logLines: string[], list: Needle[], secretTokens: string[]): string[] {
  const hits: string[] = [];
  for (const line of logLines) {
    for (const needle of list) if (needle.pattern.test(line)) hits.push(`${needle.what}: ${line.slice(0, 300)}`);
    for (const token of secretTokens) if (line.includes(token)) hits.push(`token material: ${line.slice(0, 300)}`);
  }
  return hits;
}
