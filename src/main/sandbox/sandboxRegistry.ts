/**
 * The simulated systems behind each source kind, keyed by the kind's name in
 * the source registry, so the demo and tests run on the sandbox with the same
 * code path as on real sources. Only the demo and tests import this; the
 * product never does (lint keeps it so).
 *   FHIR  `baseUrl: "sandbox:REGION"`  → a FHIR R4 sandbox region
 *   MLLP  `port: "sandbox:REGION"`     → a simulated MLLP system
 *   batch `folder: "sandbox:NAME"`     → the synthetic drop files of
 *         resources/sandbox/hl7/NAME copied into a fresh temporary folder, so the
 *         demo's imports (which move files) never touch the repository.
 * A source that is not a sandbox reference is left as configured.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FhirSourceSettings } from '../sources/fhir/fhirKind';
import type { BatchSourceSettings, MllpSourceSettings } from '../sources/hl7v2/hl7SourceConfig';
import type { BaseSourceSettings } from '../sources/registry';
import { startFhirSandbox } from './fhirServer';
import { hl7SandboxDir } from './hl7Data';
import { startMllpSandbox } from './mllpServer';

export interface StartedSandbox {
  /** The source configuration rewritten to point at the running sandbox. */
  source: BaseSourceSettings;
  close(): Promise<void>;
}

const SANDBOX = /^sandbox:([a-z0-9-]+)$/;

function sandboxName(value: unknown): string | undefined {
  return typeof value === 'string' ? SANDBOX.exec(value)?.[1] : undefined;
}

type SandboxStarter<S extends BaseSourceSettings> = (source: S) => Promise<StartedSandbox | undefined>;

/** Kind → how to start its simulated system for a source that points at one. */
export const SANDBOXES: Record<string, SandboxStarter<never>> = {
  'fhir-r4': (async (source: FhirSourceSettings) => {
    const region = sandboxName(source.baseUrl);
    if (!region) return undefined;
    const sandbox = await startFhirSandbox({ region });
    return { source: { ...source, baseUrl: sandbox.url }, close: () => sandbox.close() };
  }) satisfies SandboxStarter<FhirSourceSettings>,
  'hl7v2-mllp': (async (source: MllpSourceSettings) => {
    const region = sandboxName(source.port);
    if (!region) return undefined;
    const sandbox = await startMllpSandbox({ region });
    return { source: { ...source, host: sandbox.host, port: sandbox.port }, close: () => sandbox.close() };
  }) satisfies SandboxStarter<MllpSourceSettings>,
  'hl7v2-batch': (async (source: BatchSourceSettings) => {
    const name = sandboxName(source.folder);
    if (!name) return undefined;
    const folder = mkdtempSync(path.join(tmpdir(), `samsyn-${name}-`));
    cpSync(path.join(hl7SandboxDir(), name), folder, { recursive: true });
    return {
      source: { ...source, folder, settleMs: 0 },
      close: async () => rmSync(folder, { recursive: true, force: true }),
    };
  }) satisfies SandboxStarter<BatchSourceSettings>,
};

export async function startSandboxFor(source: BaseSourceSettings): Promise<StartedSandbox | undefined> {
  if (!source.enabled) return undefined;
  const start = SANDBOXES[source.kind] as SandboxStarter<BaseSourceSettings> | undefined;
  return start ? start(source) : undefined;
}

/** Starts every sandbox a configuration points at; the sources come back rewritten to reach them. */
export async function startSandboxes<C extends { sources: BaseSourceSettings[] }>(
  config: C,
): Promise<{ config: C; sandboxes: StartedSandbox[]; close(): Promise<void> }> {
  const started = await Promise.all(config.sources.map((source) => startSandboxFor(source)));
  const sandboxes = started.filter((s): s is StartedSandbox => s !== undefined);
  return {
    config: { ...config, sources: config.sources.map((source, i) => started[i]?.source ?? source) },
    sandboxes,
    close: async () => {
      await Promise.all(sandboxes.map((s) => s.close()));
    },
  };
}
