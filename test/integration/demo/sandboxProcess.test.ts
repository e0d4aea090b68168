/**
 * The demo's simulated systems in a process of their own (docs/adr/0030):
 * the summary is the same as with the sandboxes in the app's process, and the
 * sandbox process never outlives the demo — closed with it, stopped with the
 * demo on SIGINT / SIGTERM, and gone when the demo dies without running any
 * code (SIGKILL: its stdin pipe closes).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileKeyProvider } from '../../../src/main/cache/keyProvider';
import { startDemoRuntime } from '../../../src/main/demo/demoRuntime';
import { defaultConfigPath, projectRoot } from '../../../src/main/platform/paths';
import { bundleDemoInto, demoScript } from '../../fixtures/demoBundle';
import { openFinal } from '../../fixtures/openFinal';
import { signInForTest } from '../../fixtures/session';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'samsyn-sandbox-process-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until the process is gone (the test's own timeout bounds the wait). */
async function gone(pid: number): Promise<void> {
  while (alive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Resolves with the first stdout line matching `pattern`, or rejects when the process exits first. */
function lineOf(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      text += c.toString();
      const m = pattern.exec(text);
      if (m) resolve(m);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before ${pattern}: ${stderr}`)));
  });
}

/** The process ids of a process's children (Linux /proc). */
function childrenOf(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

function tsxNode(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: projectRoot(),
    env: { ...process.env, VITEST: undefined, SAMSYN_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('demo runtime with its sandboxes in their own process', () => {
  let runtime: Awaited<ReturnType<typeof startDemoRuntime>>;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = tempDir();
    runtime = await startDemoRuntime({
      configPath: defaultConfigPath(),
      transport: 'preview',
      dataDir,
      keyProvider: fileKeyProvider(join(dataDir, 'cache.key'), { create: true }),
      sandboxes: 'process',
    });
  });

  it('opens one summary from every FHIR region and HL7 v2 source served by the sandbox process; close ends that process', async () => {
    const pid = runtime.sandboxProcess?.pid;
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);
    expect(alive(pid!)).toBe(true);
    expect(runtime.sandboxes).toHaveLength(runtime.config.sources.length);
    expect(runtime.sandboxProcess?.patients.map((p) => p.id)).toContain('191212121212');
    await signInForTest(runtime.services);
    const answer = await openFinal(runtime.services, '19121212-1212');
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect(new Set(answer.final.sources.map((s) => s.state))).toEqual(new Set(['ok']));
    const from = new Set(Object.values(answer.final.sections).flat().flatMap((i) => i.sources.map((p) => p.sourceId)));
    for (const id of ['region-nord', 'region-syd', 'kommun-vast', 'lab-ost-files']) expect(from.has(id)).toBe(true);
    await runtime.close();
    expect(alive(pid!)).toBe(false);
  });
});

describe('the sandbox process never outlives the demo', () => {
  let demoBundle: string;
  beforeAll(() => {
    demoBundle = bundleDemoInto('test-demo-bundle', [{ name: 'bundledOpen', path: 'test/integration/demo/bundledOpen.ts' }]);
  }, 60_000);

  it('the bundled demo opens a patient from every source, the MLLP one through its tree-shaken node-hl7-client', () => {
    const out = execFileSync(process.execPath, [...demoScript().nodeFlags, join(demoBundle, 'bundledOpen.js')], {
      cwd: projectRoot(),
      encoding: 'utf8',
      env: { ...process.env, VITEST: undefined, SAMSYN_LOG_LEVEL: 'warn' },
      timeout: 120_000,
    });
    const line = out.split('\n').find((l) => l.startsWith('{"from"'));
    expect(line).toBeDefined();
    const seen = JSON.parse(line!) as { from: string[]; states: string[]; hl7FromNodeModules: boolean };
    for (const id of ['region-nord', 'region-syd', 'kommun-vast', 'lab-ost-files']) expect(seen.from).toContain(id);
    expect(new Set(seen.states)).toEqual(new Set(['ok']));
    expect(seen.hl7FromNodeModules).toBe(false);
  }, 150_000);

  it('exits when its parent is killed with SIGKILL (its stdin pipe closes)', async () => {
    const parent = tsxNode([join(__dirname, 'sandboxParent.ts')]);
    const m = await lineOf(parent, /sandbox (\d+)\n/);
    const pid = Number(m[1]);
    expect(alive(pid)).toBe(true);
    parent.kill('SIGKILL');
    await gone(pid);
    expect(alive(pid)).toBe(false);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`npm run demo (browser preview, bundled as the script runs it) answers, then stops with its sandbox process on ${signal}`, async () => {
      const dataDir = tempDir();
      // As package.json's demo script: the bundle, plain Node with the script's flags (docs/adr/0035).
      const { nodeFlags } = demoScript();
      const demo = spawn(process.execPath, [...nodeFlags, join(demoBundle, 'demo.js')], {
        cwd: projectRoot(),
        env: { ...process.env, VITEST: undefined, SAMSYN_LOG_LEVEL: 'warn', SAMSYN_PREVIEW: '1', SAMSYN_DATA_DIR: dataDir, SAMSYN_CACHE_KEY: Buffer.alloc(32, 0x21).toString('base64') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
      const m = await lineOf(demo, /Open: (http:\/\/127\.0\.0\.1:\d+)\/[^\n]*\n[\s\S]*Press Ctrl\+C/);
      const page = await fetch(`${m[1]}/`);
      expect(page.status).toBe(200);
      const sandboxes = childrenOf(demo.pid!).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('sandboxHost'));
      expect(sandboxes).toHaveLength(1);
      demo.kill(signal);
      expect(await exited).toBe(0);
      await gone(sandboxes[0]!);
      expect(alive(sandboxes[0]!)).toBe(false);
    });
  }
});

describe("the demo's own process with the sandboxes apart", () => {
  function sandboxModulesLoaded(where: 'process' | 'in-process'): { sandboxModules: string[]; ownModules: number } {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'demoModules.ts'), where], {
      cwd: projectRoot(),
      encoding: 'utf8',
      env: { ...process.env, VITEST: undefined, SAMSYN_LOG_LEVEL: 'warn' },
      timeout: 120_000,
    });
    const line = out.split('\n').find((l) => l.startsWith('{"sandboxModules"'));
    if (!line) throw new Error('the child printed no module list');
    return JSON.parse(line) as { sandboxModules: string[]; ownModules: number };
  }

  it('loads no sandbox module, having opened a patient from every source', () => {
    const apart = sandboxModulesLoaded('process');
    expect(apart.ownModules).toBeGreaterThan(50); // the check sees the product's modules
    expect(apart.sandboxModules).toEqual([]);
  }, 150_000);

  it('would be seen loading them with the sandboxes in its process (control)', () => {
    expect(sandboxModulesLoaded('in-process').sandboxModules).toContain(join('src', 'main', 'sandbox', 'fhirServer.ts'));
  }, 150_000);
});
