/**
 * The installation's configuration: its sources (each validated by its kind's
 * schema from the source registry) and the local cache. A value of the form
 * `sandbox:NAME` points at a simulated system that only the demo starts; the
 * product shows such a source as disabled.
 *
 * Each source entry is checked on its own: a broken entry does not stop the
 * app; it comes back in `rejected` (with the path inside the file and what is
 * wrong) and the services show it as a disabled source. Problems are described
 * by path and rule only, never with a value from the file (values can be
 * identifiers). `resources/config/samsyn.schema.json` is generated from these
 * schemas (scripts/config-schema.ts) for editors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { CodedError } from '../../shared/errors';
import { rolesConfigSchema } from '../access/roleProfiles';
import { SEALED_LAWS, type SourceAccessRules } from '../access/sealedPolicy';
import { identitySettingsSchema, sessionSettingsSchema } from '../auth/identitySettings';
import { DEFAULT_MAX_ITEMS_PER_SOURCE } from '../summary/askSource';
import { BUILTIN_SOURCES, type BaseSourceSettings, type SourceRegistry } from '../sources/registry';

const cacheSchema = z
  .object({
    enabled: z.boolean().default(true),
    retentionHours: z.number().positive().max(24 * 30).default(12),
    dir: z.string().min(1).optional(),
  })
  .optional();

/** The access log (src/main/audit): where it lives. It cannot be turned off and has no retention. */
const auditSchema = z
  .object({
    dir: z.string().min(1).optional(),
  })
  .optional();

const summarySettingsSchema = z
  .object({
    /** How long after it ended a medication is shown as recently stopped (default about 6 months). */
    recentlyStoppedDays: z.number().int().positive().max(3_650).default(183),
    /** A cached summary whose sources all answered within this many seconds is shown without asking them again (0: always ask). */
    freshForSeconds: z.number().int().min(0).max(3_600).default(0),
    /** The most records one source's answer may bring into a summary; an answer with more fails that source, said (SOURCE_RESPONSE_TOO_LARGE), never cut. */
    maxItemsPerSource: z.number().int().positive().max(10_000_000).default(DEFAULT_MAX_ITEMS_PER_SOURCE),
  })
  .optional();

/** The app's languages; a source may give its display name in each (`names`), `name` is the fallback. */
export const DISPLAY_LANGUAGES = ['sv', 'nb', 'fi', 'en'] as const;
const namesSchema = z.partialRecord(z.enum(DISPLAY_LANGUAGES), z.string().min(1)).optional();

/**
 * A source's access rules (src/main/access/sealedPolicy.ts): whose law governs
 * its sealed information ('SE' spärr, 'NO' sperret, 'FI' luovutuskielto;
 * default 'SE') and whether it gives its items only with the patient's consent.
 */
const accessSchema = z
  .object({
    law: z.enum(SEALED_LAWS).default('SE'),
    consentRequired: z.boolean().default(false),
  })
  .optional();

/** What the configuration file holds around its sources (each source is checked by its kind's schema). */
const envelopeSchema = z.object({
  $schema: z.string().optional(),
  sources: z.array(z.unknown()),
  /**
   * The encrypted local cache. `dir` defaults to the app's data folder
   * (Electron: userData; preview and demo: SAMSYN_DATA_DIR or `.samsyn/`).
   */
  cache: cacheSchema,
  /** How the summary groups what it shows. */
  summary: summarySettingsSchema,
  /** Role view profiles by role id, replacing or adding to the built-in nurse, municipalCare and dental (src/main/access/roleProfiles.ts). */
  roles: rolesConfigSchema,
  /**
   * Terminology: CSV tables mapping national drug codes (NPL-id, FEST, VNR) to
   * ATC, so one substance is recognised across sources (src/main/summary/drugCodes.ts).
   * Paths are relative to this file's folder.
   */
  terminology: z.object({ drugCodeMaps: z.array(z.string().min(1)).max(20).default([]) }).optional(),
  /** Opening patients: how long a recorded patient consent lasts for the care unit (docs/adr/0017). */
  access: z.object({ consentHours: z.number().positive().max(24 * 365).default(24) }).optional(),
  /**
   * The access log, an encrypted file of its own under the same installation
   * key as the cache. `dir` defaults to the app's data folder, like the cache's.
   */
  audit: auditSchema,
  /** Who may sign in: the local directory (default: built-in synthetic users) or OpenID Connect. */
  identity: identitySettingsSchema.optional(),
  /** The shared workstation: the idle lock. */
  session: sessionSettingsSchema.optional(),
});

/** The whole file's schema, every kind's entry included: for the generated JSON Schema and strict checks. */
export function configSchemaFor(registry: SourceRegistry) {
  const sourceSchemas = registry.kinds.map((k) =>
    (k.schema as unknown as z.ZodObject).extend({ names: namesSchema, access: accessSchema }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]];
  return envelopeSchema.extend({
    sources: z.array(z.discriminatedUnion('kind', sourceSchemas)),
  });
}

/** A source entry that could not be used: where it is in the file and what is wrong (no values from the file). */
export interface RejectedSource {
  /** Its id, name and kind where those were readable; the services need some id to show it by. */
  id?: string;
  name?: string;
  kind?: string;
  /** Its position in the file (`sources[2]`) and the path of the problem (`sources[2].baseUrl`). */
  index: number;
  path: string;
  message: string;
}

export interface SamsynConfig {
  sources: SourceConfig[];
  cache?: z.output<typeof cacheSchema>;
  summary?: z.output<typeof summarySettingsSchema>;
  terminology?: { drugCodeMaps: string[] };
  roles?: z.output<typeof rolesConfigSchema>;
  access?: { consentHours: number };
  audit?: z.output<typeof auditSchema>;
  identity?: z.output<typeof identitySettingsSchema>;
  session?: z.output<typeof sessionSettingsSchema>;
  /** Source entries that failed their checks: shown as disabled sources, with their reason. */
  rejected?: RejectedSource[];
}

/** One configured source: the fields every kind shares, plus its kind's own (checked by its schema). */
export type SourceConfig = BaseSourceSettings & {
  readonly names?: Partial<Record<(typeof DISPLAY_LANGUAGES)[number], string>>;
  readonly access?: SourceAccessRules;
  readonly [field: string]: unknown;
};

/** A problem with the configuration as a whole (not one source): the file, the path and what is wrong. */
export class ConfigError extends CodedError {
  constructor(
    readonly problems: { path: string; message: string }[],
    readonly file?: string,
  ) {
    super('CONFIG_INVALID', { issues: problems.length });
  }
  /** `FILE: PATH: what is wrong`, one line per problem. */
  describe(): string {
    return this.problems.map((p) => `${this.file ? `${this.file}: ` : ''}${p.path || '(top level)'}: ${p.message}`).join('\n');
  }
}

/** `sources[2].profile.port`, from a zod issue path under a prefix. */
export function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}${text ? '.' : ''}${String(key)}`),
    prefix,
  );
}

/**
 * What is wrong, in words that carry no value from the file: the rule broken
 * (type, allowed options, limits, pattern), never the input.
 */
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      // zod reports the input's type (never its value) in its message: 'received undefined' is a missing field.
      return /received undefined$/.test(issue.message) ? `required (${issue.expected})` : `must be ${issue.expected}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string' ? `must be at least ${String(issue.minimum)} character(s)` : `must be ${issue.inclusive === false ? '>' : '>='} ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string' ? `must be at most ${String(issue.maximum)} characters` : `must be ${issue.inclusive === false ? '<' : '<='} ${String(issue.maximum)}`;
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue ? `must match ${String(issue.pattern)}` : `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `unknown field(s) ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'matches none of the allowed forms';
    default:
      return 'is not valid';
  }
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : undefined);

type Checked = { ok: true; source: SourceConfig } | { ok: false; rejected: RejectedSource };

function checkSource(entry: unknown, index: number, registry: SourceRegistry): Checked {
  const at = `sources[${index}]`;
  const known = entry !== null && typeof entry === 'object' && !Array.isArray(entry) ? (entry as Record<string, unknown>) : undefined;
  const label = {
    ...(text(known?.id) && /^[a-z0-9][a-z0-9-]{0,62}$/.test(known!.id as string) ? { id: known!.id as string } : {}),
    ...(text(known?.name) ? { name: known!.name as string } : {}),
    ...(text(known?.kind) ? { kind: known!.kind as string } : {}),
  };
  const reject = (path: string, message: string): Checked => ({ ok: false, rejected: { ...label, index, path, message } });
  if (!known) return reject(at, 'must be an object');
  if (typeof known.kind !== 'string') return reject(`${at}.kind`, 'required (string)');
  const kind = registry.get(known.kind);
  if (!kind) {
    return reject(`${at}.kind`, `must be one of ${registry.kinds.map((k) => JSON.stringify(k.kind)).join(', ')}`);
  }
  const parsed = kind.schema.safeParse(entry);
  const names = namesSchema.safeParse(known.names);
  const access = accessSchema.safeParse(known.access);
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => ({ path: formatPath(at, i.path), message: describeIssue(i) }))),
    ...(names.success ? [] : names.error.issues.map((i) => ({ path: formatPath(`${at}.names`, i.path), message: describeIssue(i) }))),
    ...(access.success ? [] : access.error.issues.map((i) => ({ path: formatPath(`${at}.access`, i.path), message: describeIssue(i) }))),
  ];
  const first = issues[0];
  if (first || !parsed.success) {
    return reject(first?.path ?? at, issues.map((i) => (i === first ? i.message : `${i.path}: ${i.message}`)).join('; '));
  }
  return {
    ok: true,
    source: { ...(parsed.data as SourceConfig), ...(names.data ? { names: names.data } : {}), ...(access.data ? { access: access.data } : {}) },
  };
}

/**
 * Reads a configuration, keeping every valid source and rejecting each broken
 * one with its reason. Throws ConfigError only when the file as a whole is
 * wrong (not an object, `sources` not a list, a bad `cache`).
 */
export function readConfig(raw: unknown, registry: SourceRegistry = BUILTIN_SOURCES, file?: string): SamsynConfig {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) {
    throw new ConfigError(envelope.error.issues.map((i) => ({ path: formatPath('', i.path), message: describeIssue(i) })), file);
  }
  const sources: SourceConfig[] = [];
  const rejected: RejectedSource[] = [];
  const ids = new Set<string>();
  envelope.data.sources.forEach((entry, index) => {
    const checked = checkSource(entry, index, registry);
    if (!checked.ok) rejected.push(checked.rejected);
    else if (ids.has(checked.source.id)) {
      const { name, kind } = checked.source;
      rejected.push({ name, kind, index, path: `sources[${index}].id`, message: 'is already used by an earlier source' });
    } else {
      ids.add(checked.source.id);
      sources.push(checked.source);
    }
  });
  return {
    sources,
    ...(envelope.data.cache ? { cache: envelope.data.cache } : {}),
    ...(envelope.data.summary ? { summary: envelope.data.summary } : {}),
    ...(envelope.data.terminology ? { terminology: envelope.data.terminology } : {}),
    ...(envelope.data.roles ? { roles: envelope.data.roles } : {}),
    ...(envelope.data.access ? { access: envelope.data.access } : {}),
    ...(envelope.data.audit ? { audit: envelope.data.audit } : {}),
    ...(envelope.data.identity ? { identity: envelope.data.identity } : {}),
    ...(envelope.data.session ? { session: envelope.data.session } : {}),
    rejected,
  };
}

/** Strict: the configuration, or a ConfigError listing every problem, a broken source included. */
export function parseConfig(raw: unknown, registry: SourceRegistry = BUILTIN_SOURCES): SamsynConfig {
  const config = readConfig(raw, registry);
  if (config.rejected?.length) throw new ConfigError(config.rejected.map(({ path, message }) => ({ path, message })));
  return config;
}

/**
 * The app's way in: a file's configuration, its broken sources in `rejected`
 * (the services show them as disabled). A missing or non-JSON file, or a file
 * wrong as a whole, throws (a ConfigError names the file and path).
 */
export function loadConfigFile(path: string, registry: SourceRegistry = BUILTIN_SOURCES): SamsynConfig {
  let contents: string;
  try {
    contents = readFileSync(path, 'utf8');
  } catch {
    throw new CodedError('FILE_NOT_FOUND');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(contents);
  } catch {
    throw new CodedError('FILE_NOT_JSON');
  }
  return readConfig(raw, registry, path);
}

/** The machine-wide default configuration file of each platform. */
export function machineConfigPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', 'Samsyn', 'config.json');
  if (platform === 'darwin') return '/Library/Application Support/Samsyn/config.json';
  return '/etc/samsyn/config.json';
}

/**
 * Which configuration file an installation uses: `SAMSYN_CONFIG`; else
 * `config.json` in the installation's data folder (Electron: userData; preview
 * and CLI: SAMSYN_DATA_DIR or `.samsyn/`); else the machine-wide default
 * (machineConfigPath); else `fallback` (the demo configuration).
 */
export function resolveConfigPath(options: {
  dataDir: string;
  fallback: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  exists?: (path: string) => boolean;
}): { path: string; from: 'SAMSYN_CONFIG' | 'installation' | 'machine' | 'fallback' } {
  const env = options.env ?? process.env;
  const exists = options.exists ?? existsSync;
  if (env.SAMSYN_CONFIG) return { path: resolve(env.SAMSYN_CONFIG), from: 'SAMSYN_CONFIG' };
  const installation = join(options.dataDir, 'config.json');
  if (exists(installation)) return { path: installation, from: 'installation' };
  const machine = machineConfigPath(options.platform, env);
  if (exists(machine)) return { path: machine, from: 'machine' };
  return { path: options.fallback, from: 'fallback' };
}

const SANDBOX_REFERENCE = /^sandbox:[a-z0-9-]+$/;

/** Whether a source points at a simulated system (a `sandbox:NAME` value) that only the demo can start. */
export function pointsAtSandbox(source: SourceConfig): boolean {
  return Object.values(source).some((v) => typeof v === 'string' && SANDBOX_REFERENCE.test(v));
}
