import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = join(__dirname, '..', '..', '..', '..', 'src', 'main', 'electron');

/** What the compiled CommonJS file will require at run time. */
function runtimeRequires(file: string): string[] {
  const out = ts.transpileModule(readFileSync(join(src, file), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  return [...out.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1] ?? '');
}

describe('Electron preload', () => {
  it('requires nothing but electron, because a sandboxed preload cannot load our modules', () => {
    expect(runtimeRequires('preload.ts')).toEqual(['electron']);
  });

  it('exposes exactly one object, window.samsyn', () => {
    const text = readFileSync(join(src, 'preload.ts'), 'utf8');
    expect([...text.matchAll(/exposeInMainWorld\('([^']+)'/g)].map((m) => m[1])).toEqual(['samsyn']);
    expect(text).toContain('satisfies SamsynBridge');
  });
});

describe('Electron window', () => {
  it('serves the renderer from its own privileged scheme, not file://', () => {
    const text = readFileSync(join(src, 'main.ts'), 'utf8');
    expect(text).toMatch(/registerSchemesAsPrivileged/);
    expect(text).toMatch(/loadURL\(INDEX_URL\)/);
    expect(text).not.toMatch(/loadFile|pathToFileURL/);
    // Window options, navigation, permissions and the CSP headers: hardening.test.ts.
    expect(text).toMatch(/headers: rendererHeaders\(/);
  });
});
