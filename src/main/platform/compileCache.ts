/**
 * A V8 code cache for CommonJS modules (docs/adr/0030).
 *
 * Compiling node-hl7-client's 4 MB bundle from source takes ~75 MB of the
 * compiler's own memory at its peak (V8 `peak_malloced_memory`), which glibc
 * keeps: loading it raises a process's RSS by ~110 MB. From a code cache V8
 * deserializes instead of parsing, and the same load costs ~45 MB.
 *
 * For start-up time it was measured to make no difference (the preview's
 * ~250 modules all from the cache: 1609 vs 1565 ms median from spawn to first
 * answer, 12 interleaved rounds, load average ~9), so only large files use it.
 *
 * Node 22.1+ has this built in (`module.enableCompileCache`), used where it
 * exists (Electron's Node). On Node 20 the CommonJS compile step is wrapped
 * for files of at least MIN_BYTES (smaller ones compile as usual): the
 * wrapper is compiled with the cached data and run as Node runs it (a module
 * with a dynamic import() is left to Node: see the hook). Modules
 * loaded before it is enabled are not cached: entry points enable it first and
 * import the rest afterwards. The cache is keyed by Node's
 * version, the file's path and a hash of its content, so a changed library or
 * Node never uses a stale entry, and V8 itself rejects data it cannot use
 * (then the file is compiled from source and its entry written again).
 *
 * The directory (defaultCompileCacheDir: node_modules/.cache of the checkout
 * the demo and the preview run from, created 0700) holds nothing but compiled
 * code of files that are in that checkout.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { projectRoot } from './paths';

/** Smaller files compile quickly and with little memory from source. */
export const MIN_BYTES = 256 * 1024;

/** Where the demo and the preview keep it: the checkout's node_modules/.cache (tools' usual place). */
export function defaultCompileCacheDir(): string {
  return join(projectRoot(), 'node_modules', '.cache', 'samsyn-v8');
}

export type CompileCacheMode = 'builtin' | 'hook';

interface CjsModule {
  exports: unknown;
  _compile(content: string, filename: string): unknown;
}

let installed: { dir: string; mode: CompileCacheMode } | undefined;

/** What the hook did, for the tests: files compiled from the cache, and compiled from source (entry written). */
export const compileCacheStats = { fromCache: 0, fromSource: 0 };

function cacheFile(dir: string, filename: string, content: string): string {
  const key = createHash('sha256').update(process.version).update('\0').update(filename).update('\0').update(content).digest('hex');
  return join(dir, `${key.slice(0, 40)}.v8`);
}

function writeAtomically(file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written costs time on the next start, nothing else.
  }
}

function installHook(dir: string): void {
  const proto = (nodeModule.Module as unknown as { prototype: CjsModule }).prototype;
  const original = proto._compile;
  proto._compile = function compileWithCache(this: CjsModule, content: string, filename: string): unknown {
    // A module with import() compiles as Node compiles it: a script compiled here cannot always
    // reach the module loader for a dynamic import (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING).
    if (content.length < MIN_BYTES || content.includes('import(')) return original.call(this, content, filename);
    const file = cacheFile(dir, filename, content);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(nodeModule.Module.wrap(content), {
      filename,
      ...(cachedData ? { cachedData } : {}),
    });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (
      exports: unknown,
      require: NodeJS.Require,
      module: CjsModule,
      filename: string,
      dirname: string,
    ) => unknown;
    const require = createRequire(filename);
    const result = wrapper.call(this.exports, this.exports, require, this, filename, dirname(filename));
    if (cachedData && !script.cachedDataRejected) {
      compileCacheStats.fromCache++;
    } else {
      compileCacheStats.fromSource++;
      // After the module ran: the entry also holds the functions its loading compiled.
      writeAtomically(file, script.createCachedData());
    }
    return result;
  };
}

/**
 * Turns the code cache on for this process (once; later calls return the first
 * mode). `dir` is created when missing. Returns how: Node's own, or the hook.
 */
export function enableCompileCache(dir: string): CompileCacheMode {
  if (installed) return installed.mode;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const builtin = (nodeModule as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (typeof builtin === 'function') {
    builtin(dir);
    installed = { dir, mode: 'builtin' };
  } else {
    installHook(dir);
    installed = { dir, mode: 'hook' };
  }
  return installed.mode;
}
