/**
 * `npm run demo`: the simulated systems of the demo configuration (two FHIR
 * regions, an HL7 v2 MLLP system, a batch drop folder) and the app on them.
 * Opens Electron where its binary is installed, pointed at the configuration
 * rewritten to reach the running sandboxes; otherwise serves the browser
 * preview on 127.0.0.1 and prints its URL (this is what happens where
 * Electron's binary cannot be downloaded).
 */
import '../platform/quietByDefault';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { defaultCompileCacheDir, enableCompileCache } from '../platform/compileCache';
import { defaultConfigPath, projectRoot, rendererDir } from '../platform/paths';

/**
 * Electron's binary, where it can show a window: the electron package writes
 * path.txt only once its binary has been downloaded (npm start / npm run demo
 * fetch it on demand, see docs/adr/0009), and a Linux machine without a display
 * gets the browser preview instead.
 */
function electronBinary(): string | undefined {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return undefined;
  try {
    const pkgDir = dirname(require.resolve('electron/package.json', { paths: [projectRoot()] }));
    const rel = readFileSync(join(pkgDir, 'path.txt'), 'utf8').trim();
    const bin = join(pkgDir, 'dist', rel);
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

function build(script: string): void {
  const run = spawnSync('npm', ['run', '--silent', script], { cwd: projectRoot(), stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

async function main(): Promise<void> {
  // Only the code cache is loaded before it is on; the app's modules are imported after (docs/adr/0030).
  enableCompileCache(defaultCompileCacheDir());
  const [{ loadConfigFile }, { startPreviewServer }, { BUILTIN_SOURCES }, { startDemoRuntime }] = await Promise.all([
    import('../app/config.js'),
    import('../preview/previewServer.js'),
    import('../sources/registry.js'),
    import('./demoRuntime.js'),
  ]);
  const configPath = process.env.SAMSYN_CONFIG ?? defaultConfigPath();
  const electron = process.env.SAMSYN_PREVIEW ? undefined : electronBinary();
  if (electron) {
    build('build');
    // The sandboxes run here; the app gets the configuration rewritten to reach them.
    const { startSandboxes } = await import('../sandbox/sandboxRegistry.js');
    const started = await startSandboxes(loadConfigFile(configPath));
    const dir = mkdtempSync(join(tmpdir(), 'samsyn-demo-config-'));
    const resolved = join(dir, 'config.json');
    writeFileSync(resolved, JSON.stringify(started.config, null, 2));
    const child = spawn(electron, ['.'], {
      cwd: projectRoot(),
      stdio: 'inherit',
      env: { ...process.env, SAMSYN_CONFIG: resolved },
    });
    child.on('exit', (code) => {
      void started.close().finally(() => {
        rmSync(dir, { recursive: true, force: true });
        process.exit(code ?? 0);
      });
    });
    return;
  }
  if (!existsSync(join(rendererDir(), 'index.html'))) build('build:renderer');
  const runtime = await startDemoRuntime({
    configPath,
    transport: 'preview',
    identity: process.env.SAMSYN_DEMO_IDENTITY === 'oidc' ? 'oidc' : 'local',
    // The simulated systems in a process of their own, as remote systems are (docs/adr/0030).
    sandboxes: 'process',
  });
  const port = process.env.SAMSYN_PREVIEW_PORT ? Number(process.env.SAMSYN_PREVIEW_PORT) : 0;
  const preview = await startPreviewServer({
    handlers: runtime.services.handlers,
    events: runtime.services.events,
    staticDir: rendererDir(),
    port,
  });
  const out = process.stdout;
  out.write('\nSamsyn preview (no Electron binary here, so the browser preview runs instead)\n');
  out.write(`  Open: ${preview.url}\n`);
  out.write(
    runtime.identityProvider
      ? `  Sign-in: sandbox OpenID Connect provider ${runtime.identityProvider.issuer} (synthetic users)\n`
      : '  Sign-in: choose a synthetic user of the local directory (SAMSYN_DEMO_IDENTITY=oidc: the sandbox identity provider)\n',
  );
  for (const s of runtime.config.sources) {
    const kind = BUILTIN_SOURCES.get(s.kind);
    out.write(`  Source: ${s.name} -> ${kind ? kind.endpoint(s) : s.kind}\n`);
  }
  out.write('  Synthetic test patients (official test numbers):\n');
  // One line per person: where each test patient can be found, FHIR and HL7 v2 together.
  for (const p of runtime.sandboxProcess?.patients ?? []) out.write(`    ${p.id.padEnd(13)} ${p.name} (${p.places.join(', ')})\n`);
  out.write('  Press Ctrl+C to stop.\n\n');
  const stop = async () => {
    await preview.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

void main();
