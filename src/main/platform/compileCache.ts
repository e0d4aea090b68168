/**
 * A V8 code cache for large CommonJS libraries (docs/adr/0030).
 *
 * Compiling node-hl7-client's 4 MB bundle from source takes ~75 MB of the
 * compiler's own memory at its peak (V8 `peak_malloced_memory`), which glibc
 * keeps: loading it raises a process's RSS by ~110 MB. From a code cache V8
 * deserializes instead of parsing, and the same load costs ~45 MB.
 *
 * Node 22.1+ has this built in (`module.enableCompileCache`), used where it
 * exists (Electron's Node). On Node 20 the CommonJS compile step is wrapped
 * for files under node_modules of at least MIN_BYTES only (the product's own
 * modules and small libraries compile as usual): the wrapper is compiled with
 * the cached data and run as Node runs it. The cache is keyed by Node's
 * version, the file's path and a hash of its content, so a changed library or
 * Node never uses a stale entry, and V8 itself rejects data it cannot use
 * (then the file is compiled from source and its entry written again).
 *
 * The directory is the user's own data folder (created 0700): whoever can
 * write there can already read the cache key beside it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as nodeModule from 'node:module';
import { dirname, join, sep } from 'node:path';
import vm from 'node:vm';

/** Smaller files compile quickly enough from source. */
export const MIN_BYTES = 512 * 1024;

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
  const nodeModules = `${sep}node_modules${sep}`;
  proto._compile = function compileWithCache(this: CjsModule, content: string, filename: string): unknown {
    if (content.length < MIN_BYTES || !filename.includes(nodeModules)) return original.call(this, content, filename);
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
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
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
