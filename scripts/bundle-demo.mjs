#!/usr/bin/env node
/* global process */
/**
 * Bundles the demo (and the simulated systems' host it starts) into
 * build/demo/ with esbuild, so `npm run demo` runs plain JavaScript under
 * plain Node: no TypeScript loader in the process (~30 MB of RSS and a
 * thread), one file instead of ~110 module loads, and node-hl7-client
 * tree-shaken to the parts the app uses (its full 4 MB bundle builds every
 * HL7 version's segment tables at load: ~87 MB of RSS, 0.6 s). Packages
 * stay in node_modules and are loaded from there, except node-hl7-client.
 * Why esbuild and what it measured: docs/adr/0035-bundled-demo-and-a-smaller-young-generation.md.
 *
 * Usage: node scripts/bundle-demo.mjs [outdir] [extra entry …]
 * (extra entries are for the benchmarks, which measure the same bundle.)
 */
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Bare imports come from node_modules at run time, except the ones worth tree-shaking. */
export const BUNDLED_PACKAGES = ['node-hl7-client'];

export async function bundleDemo(outdir = join(root, 'build', 'demo'), extraEntries = []) {
  const entryPoints = {
    demo: join(root, 'src/main/demo/demo.ts'),
    sandboxHost: join(root, 'src/main/demo/sandboxHost.ts'),
  };
  for (const entry of extraEntries) entryPoints[entry.name] = resolve(root, entry.path);
  await build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    // Stack traces keep our names; the bundle is read by people debugging the demo.
    keepNames: true,
    plugins: [
      {
        name: 'packages-from-node-modules',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith('node:')) return { path: args.path, external: true };
            const pkg = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
            return BUNDLED_PACKAGES.includes(pkg) ? undefined : { path: args.path, external: true };
          });
        },
      },
    ],
  });
  return outdir;
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  const [outdir, ...extra] = process.argv.slice(2);
  await bundleDemo(outdir ? resolve(outdir) : undefined, extra.map((p) => ({ name: p.replace(/^.*\//, '').replace(/\.ts$/, ''), path: p })));
}
