/**
 * Real folders that fail like a full or read-only disk, for the fault matrix.
 * As root (the sandbox, CI containers) a tiny tmpfs is mounted: the disk is
 * really full (ENOSPC) and really read-only (EROFS, which binds root too).
 * Where mounting is not permitted, the same folder on the ordinary disk is
 * used with node:fs wrapped so writes fail with the same errno: the code under
 * test is the same either way, only the errno's origin differs.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FolderFs } from '../../../src/main/sources/hl7v2/batchFolderSource';

export interface FaultyDisk {
  dir: string;
  /** true: a real tmpfs; false: node:fs wrapped (pass `fs` to the code under test). */
  mounted: boolean;
  /** Pass to the batch folder: undefined when mounted (node:fs is used as is). */
  fs: FolderFs | undefined;
  /** Fills the disk so the next write fails with ENOSPC. */
  fill(): void;
  /** Frees what fill() took. */
  free(): void;
  /** Makes the whole disk read-only (EROFS). */
  readOnly(): void;
  cleanup(): void;
}

const FILLER = '.filler';

function errno(code: string): NodeJS.ErrnoException {
  const err = new Error(code) as NodeJS.ErrnoException;
  err.code = code;
  return err;
}

export function faultyDisk(sizeKb = 512): FaultyDisk {
  const dir = mkdtempSync(join(tmpdir(), 'samsyn-faulty-disk-'));
  let mounted = false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], { stdio: 'ignore' });
    mounted = true;
  } catch {
    mounted = false;
  }
  let failure: string | undefined;
  const failing =
    <A extends unknown[], R>(f: (...args: A) => R) =>
    (...args: A): R => {
      if (failure) throw errno(failure);
      return f(...args);
    };
  const wrapped: FolderFs = {
    ...fs,
    writeFileSync: failing(fs.writeFileSync),
    renameSync: failing(fs.renameSync),
    mkdirSync: failing(fs.mkdirSync) as FolderFs['mkdirSync'],
  };
  return {
    dir,
    mounted,
    fs: mounted ? undefined : wrapped,
    fill() {
      if (!mounted) {
        failure = 'ENOSPC';
        return;
      }
      const chunk = Buffer.alloc(4096, 0x20);
      const fd = fs.openSync(join(dir, FILLER), 'a');
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        fs.closeSync(fd);
      }
    },
    free() {
      if (!mounted) failure = undefined;
      else rmSync(join(dir, FILLER), { force: true });
    },
    readOnly() {
      if (!mounted) failure = 'EROFS';
      else execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'ignore' });
    },
    cleanup() {
      if (mounted) execFileSync('umount', [dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes through a fd so no helper of ours is involved. */
export function put(file: string, text: string): void {
  writeFileSync(file, Buffer.from(text, 'latin1'));
}
