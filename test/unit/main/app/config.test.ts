/**
 * The configuration file: each source entry checked by its kind's schema on its
 * own, a broken one rejected with its path and what is wrong (never a value from
 * the file) and shown by the services as a disabled source; where the file is
 * looked for; the generated JSON Schema kept up to date.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  loadConfigFile,
  machineConfigPath,
  parseConfig,
  readConfig,
  resolveConfigPath,
} from '../../../../src/main/app/config';
import { configJsonSchemaText } from '../../../../src/main/app/configSchema';
import { createServices } from '../../../../src/main/app/createServices';
import { createLogger } from '../../../../src/main/platform/logger';
import { openFinal } from '../../../fixtures/openFinal';
import { signInForTest } from '../../../fixtures/session';

const root = join(__dirname, '..', '..', '..', '..');
const nord = { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: 'http://127.0.0.1:9/fhir' };
// Values that must never reach an error text: they could be identifiers.
const SECRET = '191212121212';

describe('reading the configuration', () => {
  it('keeps the valid sources and rejects each broken one with its path and what is wrong', () => {
    const config = readConfig({
      sources: [
        nord,
        { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', timeoutMs: `${SECRET}` },
        { id: 'kommun-vast', name: 'Kommun Väst', kind: 'hl7v2-mllp', port: 2575, query: `QBP^${SECRET}` },
        { id: 'lab', name: 'Lab', kind: `x-${SECRET}` },
        { ...nord, name: 'Nord igen' },
        'not an object',
        { id: 'folder', name: 'Filer', kind: 'hl7v2-batch', folder: '/tmp', names: { sv: 'Filer', de: 'Dateien' } },
        { id: 'named', name: 'Lab Öst', kind: 'hl7v2-batch', folder: '/tmp', names: { sv: 'Lab Öst', en: 'Lab East' } },
      ],
    });
    expect(config.sources.map((s) => s.id)).toEqual(['region-nord', 'named']);
    expect(config.sources[1]?.names).toEqual({ sv: 'Lab Öst', en: 'Lab East' });
    expect(config.rejected).toEqual([
      expect.objectContaining({ id: 'region-syd', index: 1, path: 'sources[1].baseUrl', message: 'required (string); sources[1].timeoutMs: must be number' }),
      expect.objectContaining({ id: 'kommun-vast', path: 'sources[2].query', message: 'must be one of "QBP^Q11", "QRY^A19"' }),
      expect.objectContaining({ id: 'lab', path: 'sources[3].kind', message: 'must be one of "fhir-r4", "hl7v2-mllp", "hl7v2-batch"' }),
      expect.objectContaining({ name: 'Nord igen', path: 'sources[4].id', message: 'is already used by an earlier source' }),
      { index: 5, path: 'sources[5]', message: 'must be an object' },
      expect.objectContaining({ id: 'folder', path: 'sources[6].names', message: 'unknown field(s) de' }),
    ]);
    for (const r of config.rejected ?? []) expect(r.message).not.toContain(SECRET);
  });

  it('refuses a file that is wrong as a whole, naming the file and the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'samsyn-config-'));
    try {
      const file = join(dir, 'config.json');
      writeFileSync(file, JSON.stringify({ sources: [nord], cache: { retentionHours: -1 } }));
      let error: unknown;
      try {
        loadConfigFile(file);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).code).toBe('CONFIG_INVALID');
      expect((error as ConfigError).describe()).toBe(`${file}: cache.retentionHours: must be > 0`);
      writeFileSync(file, JSON.stringify({ sources: [nord, { ...nord, id: 'Bad Id' }] }));
      const loaded = loadConfigFile(file);
      expect(loaded.sources).toHaveLength(1);
      expect(loaded.rejected).toEqual([expect.objectContaining({ path: 'sources[1].id', message: expect.stringMatching(/^must match /) })]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads role view profiles and refuses one naming an unknown item kind, by path', () => {
    const config = parseConfig({ sources: [nord], roles: { dental: { sections: ['allergies', 'medications'], items: { medications: ['antithrombotic'] } } } });
    expect(config.roles?.dental?.sections).toEqual(['allergies', 'medications']);
    let error: unknown;
    try {
      parseConfig({ sources: [nord], roles: { dental: { sections: ['allergies'], items: { allergies: ['nonsense'] } } } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).describe()).toMatch(/^roles\.dental\.items\.allergies\[0\]: /);
  });

  it('reads each source’s access rules (law, consent) with defaults, and rejects an unknown law by path', () => {
    const config = readConfig({ sources: [{ ...nord, access: { law: 'NO' } }, { ...nord, id: 'b', access: { law: 'DK' } }, { ...nord, id: 'c' }] });
    expect(config.sources.map((s) => [s.id, s.access])).toEqual([
      ['region-nord', { law: 'NO', consentRequired: false }],
      ['c', undefined],
    ]);
    expect(config.rejected).toEqual([expect.objectContaining({ path: 'sources[1].access.law' })]);
  });

  it('parseConfig stays strict: any broken source is an error', () => {
    expect(() => parseConfig({ sources: [nord, { ...nord, id: 'x', baseUrl: '' }] })).toThrow(ConfigError);
    expect(parseConfig({ sources: [nord] }).sources).toHaveLength(1);
  });

  it('reads the demo configuration without rejecting anything', () => {
    const demo = loadConfigFile(join(root, 'resources', 'config', 'demo.json'));
    expect(demo.rejected).toEqual([]);
    expect(demo.sources.length).toBeGreaterThanOrEqual(4);
  });
});

describe('the services with a rejected source', () => {
  it('list it and answer for it as disabled with CONFIG_INVALID, beside the valid ones', async () => {
    const config = readConfig({ sources: [{ ...nord, enabled: false }, { id: 'syd', name: 'Region Syd', kind: 'fhir-r4' }] });
    const clock = { now: () => new Date('2026-11-25T10:00:00Z') };
    const services = createServices({ config, clock, logger: createLogger('test'), transport: 'preview', version: 'test' });
    const info = await services.handlers['app.info']({});
    expect(info.ok && info.value.sources).toEqual([{ id: 'syd', name: 'Region Syd', kind: 'fhir-r4' }]);
    await signInForTest(services);
    const answer = await openFinal(services, '19121212-1212');
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect(answer.final.sources).toEqual([
      expect.objectContaining({ sourceId: 'syd', state: 'disabled', error: 'SOURCE_DISABLED' }),
    ]);
  });
});

describe('where the configuration file is found', () => {
  const dataDir = '/var/lib/samsyn-test';
  const fallback = '/app/resources/config/demo.json';
  it('SAMSYN_CONFIG, else the installation file, else the machine-wide one, else the fallback', () => {
    const all = () => true;
    const none = () => false;
    expect(resolveConfigPath({ dataDir, fallback, env: { SAMSYN_CONFIG: '/x/c.json' }, exists: all })).toEqual({ path: '/x/c.json', from: 'SAMSYN_CONFIG' });
    expect(resolveConfigPath({ dataDir, fallback, env: {}, exists: all })).toEqual({ path: join(dataDir, 'config.json'), from: 'installation' });
    expect(resolveConfigPath({ dataDir, fallback, env: {}, platform: 'linux', exists: (p) => p === '/etc/samsyn/config.json' })).toEqual({
      path: '/etc/samsyn/config.json',
      from: 'machine',
    });
    expect(resolveConfigPath({ dataDir, fallback, env: {}, exists: none })).toEqual({ path: fallback, from: 'fallback' });
    expect(machineConfigPath('win32', { ProgramData: 'D:\\PD' })).toBe(join('D:\\PD', 'Samsyn', 'config.json'));
  });
});

describe('the generated JSON Schema', () => {
  it('is the committed resources/config/samsyn.schema.json (npm run config:schema)', () => {
    expect(readFileSync(join(root, 'resources', 'config', 'samsyn.schema.json'), 'utf8')).toBe(configJsonSchemaText());
  });
});
