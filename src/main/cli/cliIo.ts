/**
 * What every `samsyn` command reads and writes: the terminal (passed in, so
 * tests capture it), one coded error line, and the files named on the command
 * line.
 */
import { readFile } from 'node:fs/promises';
import { CodedError, type AppError } from '../../shared/errors';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  now: () => Date;
}

/** `samsyn: CODE key=value… (context)`: the code and its small params only, never patient data. */
export function errorLine(error: AppError, context?: string): string {
  const params = error.params
    ? ' ' + Object.entries(error.params).map(([k, v]) => `${k}=${String(v)}`).join(' ')
    : '';
  return `samsyn: ${error.code}${params}${context ? ` (${context})` : ''}\n`;
}

/** The file's bytes; a missing or unreadable file is a coded error naming its position, not its path. */
export async function readInputFile(path: string, index: number): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new CodedError((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', {
      file: index,
    });
  }
}
