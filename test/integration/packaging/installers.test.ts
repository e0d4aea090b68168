/**
 * The installers' configuration and what a package really holds (issue 12
 * item 8). electron-builder packages the app for real here (`--dir`, Linux),
 * with a stand-in for Electron's binary, which cannot be downloaded on this
 * machine, and without the native rebuild (that needs Electron's headers; the
 * configuration asks for it, checked below). The file list is read from the
 * produced app.asar.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
interface PlatformConfig {
  target: string[];
  icon: string;
  maintainer?: string;
}
interface BuilderConfig {
  appId: string;
  productName: string;
  linux: PlatformConfig;
  win: PlatformConfig;
  mac: PlatformConfig;
  protocols: unknown;
  npmRebuild: boolean;
  asarUnpack: string[];
  extraMetadata: { main: string };
}
const config = JSON.parse(readFileSync(join(root, 'electron-builder.json'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string; author?: { email?: string } };
let work: string;
let files: string[] = [];
let unpacked: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'samsyn-dist-'));
  // The main process as `npm run dist` builds it.
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.node.json', '--outDir', 'build/main', '--noEmit', 'false'], { cwd: root, encoding: 'utf8' });
  expect(tsc.status, tsc.stdout).toBe(0);
  const electronDist = join(work, 'electron');
  spawnSync('mkdir', ['-p', electronDist]);
  writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\n');
  chmodSync(join(electronDist, 'electron'), 0o755);
  const out = join(work, 'release');
  const builder = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-builder', 'cli.js'), '--linux', 'dir', '--config', 'electron-builder.json', `-c.electronDist=${electronDist}`, '-c.npmRebuild=false', `-c.directories.output=${out}`],
    { cwd: root, encoding: 'utf8', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
  );
  expect(builder.status, builder.stdout + builder.stderr).toBe(0);
  const resources = join(out, 'linux-unpacked', 'resources');
  files = listPackage(join(resources, 'app.asar'), { isPack: false }).map((f) => f.replace(/\\/g, '/'));
  unpacked = join(resources, 'app.asar.unpacked');
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('installer configuration', () => {
  it('builds AppImage and deb, NSIS and dmg with the app id, product name, icon and patient links', () => {
    expect(config.appId).toBe('se.samsyn.desktop');
    expect(config.productName).toBe('Samsyn');
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    for (const platform of [config.linux, config.win, config.mac]) {
      const icon = join(root, platform.icon);
      expect(existsSync(icon)).toBe(true);
      const png = readFileSync(icon);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      // electron-builder derives .ico and .icns from a PNG of at least 512 × 512.
      expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    }
    expect(config.protocols).toEqual([{ name: expect.any(String), schemes: ['samsyn'] }]);
    // The native SQLite addon is rebuilt for Electron and kept outside the archive.
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    // A deb needs a maintainer and the package an author.
    expect(config.linux.maintainer).toMatch(/<.+@.+>/);
    expect(pkg.author?.email).toBeTruthy();
    expect(config.extraMetadata.main).toBe(pkg.main);
  });
});

describe('the packaged app', () => {
  it('holds the main process, the preload, the renderer and the configuration', () => {
    for (const f of ['/build/main/main/electron/main.js', '/build/main/main/electron/preload.js', '/dist/renderer/index.html', '/resources/config/demo.json', '/package.json']) {
      expect(files, f).toContain(f);
    }
    expect(files.some((f) => f.startsWith('/node_modules/better-sqlite3-multiple-ciphers/'))).toBe(true);
    expect(existsSync(join(unpacked, 'node_modules', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
  });

  it('leaves out the sandbox, the demo, tests, fixtures, source maps and development tools', () => {
    const bad = files.filter(
      (f) =>
        /^\/build\/main\/main\/(sandbox|demo)\//.test(f) ||
        f.startsWith('/resources/sandbox') ||
        f.startsWith('/test/') ||
        f.startsWith('/src/') ||
        /\.map$/.test(f) ||
        /^\/node_modules\/(electron|electron-builder|vitest|playwright-core|typescript|eslint|@medplum\/definitions|oidc-provider)\//.test(f),
    );
    expect(bad).toEqual([]);
  });
});
