/** Runs `samsyn` in-process at a fixed time and captures what it prints. */
import { runCli } from '../../../src/main/cli/index';

export const CLI_NOW = new Date('2026-11-25T10:00:00Z');

export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t), now: () => CLI_NOW });
  return { code, out, err };
}
