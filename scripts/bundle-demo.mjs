#!/usr/bin/env node
/* global process */
/**
 * Bundles the demo, the simulated systems' host it starts, and the preview
 * on its own (`npm run preview`) into build/demo/ with esbuild, so they run
 * as plain JavaScript under plain Node: no TypeScript loader in the process (~30 MB of RSS and a
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
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Packages worth tree-shaking: each becomes vendor/<name>.js beside the
 * bundles, holding only the names the product imports from it (found in
 * src/main), and is required from there where the product first needs it,
 * so a lazily loaded part of the app stays lazy. Every other package is
 * loaded from node_modules at run time.
 */
export const VENDORED_PACKAGES = ['node-hl7-client'];

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** The value names src/main imports from a package (`import { A, type B } from 'pkg'` gives A). */
export function importedNames(pkg) {
  const names = new Set();
  const quoted = pkg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(String.raw`import\s*\{([^}]*)\}\s*from\s*'${quoted}'`, 'g');
  const whole = new RegExp(String.raw`import\s+(?:type\s+)?(?:\*\s*as\s+\w+|(?!type\s*\{)\w+)[^;]*?from\s*'${quoted}'|import\(\s*'${quoted}'`);
  for (const file of sourceFiles(join(root, 'src', 'main'))) {
    const text = readFileSync(file, 'utf8');
    if (whole.test(text)) throw new Error(`${relative(root, file)} imports ${pkg} whole: its vendored copy could not be tree-shaken`);
    for (const m of text.matchAll(pattern)) {
      for (const part of (m[1] ?? '').split(',')) {
        const name = part.trim();
        if (name && !name.startsWith('type ')) names.add(name.split(/\s+as\s+/)[0].trim());
      }
    }
  }
  return [...names].sort();
}

/**
 * Packages bundled into each bundle itself (their ESM build), instead of being
 * required from node_modules: zod, which every bundle loads before it can
 * do anything (the preview parses its configuration with it before it
 * listens). Required from node_modules, zod's ~95 files took about a third of
 * the preview's start-up CPU; bundled, with its error messages in English only
 * (below), under half of that (docs/adr/0039).
 */
export const INLINED_PACKAGES = ['zod'];

/**
 * zod's `locales` namespace (`z.locales.xx()`, error messages in ~50
 * languages, all loaded with the package) narrowed to English, the one zod
 * itself registers as the default (classic/schemas.js imports en.js
 * directly). Nothing bundled picks another: bundleDemo throws if src/main or
 * src/shared ever names `z.locales` or `z.config` (checkNoZodLocales).
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: join(dirname(args.importer), '..', 'locales', 'en.js'), namespace: 'zod-locales' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

/** Throws if src/main or src/shared configures zod's locales: the bundles carry English only (zodEnglishOnly). */
export function checkNoZodLocales() {
  for (const file of [...sourceFiles(join(root, 'src', 'main')), ...sourceFiles(join(root, 'src', 'shared'))]) {
    if (/\bz\.(locales|config)\b/.test(readFileSync(file, 'utf8'))) throw new Error(`${relative(root, file)} configures zod's locales: the bundles carry English only`);
  }
}

const common = { absWorkingDir: root, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' };

export async function bundleDemo(outdir = join(root, 'build', 'demo'), extraEntries = []) {
  const entryPoints = {
    demo: join(root, 'src/main/demo/demo.ts'),
    sandboxHost: join(root, 'src/main/demo/sandboxHost.ts'),
    previewMain: join(root, 'src/main/preview/previewMain.ts'),
  };
  for (const entry of extraEntries) entryPoints[entry.name] = resolve(root, entry.path);
  for (const pkg of VENDORED_PACKAGES) {
    const names = importedNames(pkg);
    await build({
      ...common,
      stdin: { contents: `export { ${names.join(', ')} } from '${pkg}';`, resolveDir: root, loader: 'js' },
      outfile: join(outdir, 'vendor', `${pkg}.js`),
    });
  }
  checkNoZodLocales();
  await build({
    ...common,
    entryPoints,
    outdir,
    // The ESM build of an inlined package (zod's CommonJS one re-exports file by file and cannot be narrowed).
    mainFields: ['module', 'main'],
    // Stack traces keep our names; the bundle is read by people debugging the demo.
    keepNames: true,
    plugins: [
      zodEnglishOnly,
      {
        name: 'packages-from-node-modules-or-vendor',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith('node:')) return { path: args.path, external: true };
            // Bundles sit side by side in outdir, so one relative path serves every entry.
            if (VENDORED_PACKAGES.includes(args.path)) return { path: `./vendor/${args.path}.js`, external: true };
            // An inlined package and its own imports (zod's subpaths) are bundled.
            if (INLINED_PACKAGES.some((pkg) => args.path === pkg || args.path.startsWith(`${pkg}/`))) return undefined;
            return { path: args.path, external: true };
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
