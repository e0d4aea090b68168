/**
 * `npm run preview` as package.json runs it: the preview bundled by
 * scripts/bundle-demo.mjs, plain Node with the script's flags (docs/adr/0035).
 * It starts on an empty data folder, says `ready <origin>`, serves the app and
 * refuses the API without the launch token, and stops on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/main/platform/paths';
import { bundleDemoInto, demoScript, readyOrigin } from '../../fixtures/demoBundle';

describe('npm run preview (bundled)', () => {
  let bundle: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'samsyn-bundled-preview-'));
  beforeAll(() => {
    bundle = bundleDemoInto('test-preview-bundle');
  }, 60_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts, answers GET / with the app, refuses the API without its token, and stops on SIGTERM', async () => {
    const { nodeFlags, entry } = demoScript('preview');
    expect(entry).toBe('previewMain.js');
    const child = spawn(process.execPath, [...nodeFlags, join(bundle, entry), '--data', dataDir], {
      cwd: projectRoot(),
      env: { ...process.env, VITEST: undefined, SAMSYN_LOG_LEVEL: 'warn', SAMSYN_CACHE_KEY: Buffer.alloc(32, 0x44).toString('base64') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const origin = await readyOrigin(child);
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"');
    const api = await fetch(`${origin}/api/session.status`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(api.status).toBeGreaterThanOrEqual(400);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);

  it('carries zod inside the bundle, English only, and its checks still refuse a malformed request (docs/adr/0039)', async () => {
    const { nodeFlags, entry } = demoScript('preview');
    const text = readFileSync(join(bundle, entry), 'utf8');
    // Not required from node_modules: bundled, with its English messages and none of the other languages.
    expect(text).not.toMatch(/require\("zod(\/[^"]*)?"\)/);
    expect(text).toContain('node_modules/zod/v4/classic/schemas.js');
    expect(text).toContain('node_modules/zod/v4/locales/en.js');
    expect(text).not.toContain('node_modules/zod/v4/locales/sv.js');
    const child = spawn(process.execPath, [...nodeFlags, join(bundle, entry), '--data', dataDir, '--print-url'], {
      cwd: projectRoot(),
      env: { ...process.env, VITEST: undefined, SAMSYN_LOG_LEVEL: 'warn', SAMSYN_CACHE_KEY: Buffer.alloc(32, 0x44).toString('base64') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let printed = '';
    child.stdout?.on('data', (c: Buffer) => (printed += c.toString()));
    const origin = await readyOrigin(child);
    await expect.poll(() => /#token=([\w-]+)/.exec(printed)?.[1]).toBeDefined();
    const token = /#token=([\w-]+)/.exec(printed)?.[1] ?? '';
    const invoke = async (command: string, body: unknown) => {
      const res = await fetch(`${origin}/api/invoke/${command}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      });
      return (await res.json()) as { ok: boolean; error?: { code: string } };
    };
    // The request schemas (zod, bundled) refuse what does not match, before any handler runs.
    expect(await invoke('summary.open', { patient: 42 })).toMatchObject({ ok: false, error: { code: 'BRIDGE_BAD_REQUEST' } });
    expect(await invoke('summary.open', {})).toMatchObject({ ok: false, error: { code: 'BRIDGE_BAD_REQUEST' } });
    // A well-formed one passes them and meets the session check.
    expect(await invoke('summary.open', { patient: '19121212-1212' })).toMatchObject({ ok: false });
    expect((await invoke('summary.open', { patient: '19121212-1212' })).error?.code).not.toBe('BRIDGE_BAD_REQUEST');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
