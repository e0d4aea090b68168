/**
 * `samsyn config check [FILE]`: which configuration file this installation
 * uses (SAMSYN_CONFIG, the installation's, the machine-wide one, or the demo
 * default) and every problem in it, by path, as the app would see it: each
 * broken source is listed (the app shows it as disabled), a file wrong as a
 * whole is one error.
 */
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfigFile, resolveConfigPath } from '../app/config';
import { loadDrugCodeMaps } from '../summary/drugCodes';
import { defaultDataDir } from '../cache/configuredCache';
import { defaultConfigPath, projectRoot } from '../platform/paths';
import type { CliIo } from './cliIo';
import { errorLine, toCliError } from './errorWords';
import { EXIT } from './exitCodes';

export async function runConfigCommand(args: string[], io: CliIo, usage: string): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: {} });
  } catch {
    io.err(errorLine({ code: 'CLI_USAGE' }) + usage);
    return EXIT.usage;
  }
  const [sub, file, ...extra] = parsed.positionals;
  if (sub !== 'check' || extra.length > 0) {
    io.err(errorLine({ code: 'CLI_USAGE', params: { command: sub ? 'unknown' : 'missing' } }) + usage);
    return EXIT.usage;
  }
  const found = file
    ? { path: resolve(file), from: 'argument' }
    : resolveConfigPath({ dataDir: defaultDataDir(projectRoot()), fallback: defaultConfigPath() });
  io.out(`configuration: ${found.path} (from ${found.from})\n`);
  let config;
  try {
    config = loadConfigFile(found.path);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.describe().split('\n')) io.err(`samsyn: CONFIG_INVALID: ${line}\n`);
    } else {
      io.err(errorLine(toCliError(err), 'the configuration file'));
    }
    return EXIT.badFile;
  }
  for (const s of config.sources) io.out(`  ok        ${s.id} (${s.kind})${s.enabled ? '' : ' disabled in the file'}\n`);
  for (const r of config.rejected ?? []) {
    io.out(`  disabled  ${r.id ?? `entry ${r.index + 1}`}${r.kind ? ` (${r.kind})` : ''}\n`);
    io.err(`samsyn: CONFIG_INVALID: ${found.path}: ${r.path}: ${r.message}\n`);
  }
  const tables = config.terminology?.drugCodeMaps ?? [];
  if (tables.length > 0) {
    try {
      const map = loadDrugCodeMaps(tables, dirname(found.path));
      io.out(`  ok        drug-code tables: ${tables.length}, ${map.size} codes\n`);
    } catch (err) {
      io.err(errorLine(toCliError(err), 'a drug-code table'));
      return EXIT.invalid;
    }
  }
  return config.rejected?.length ? EXIT.invalid : EXIT.ok;
}
