/**
 * Starts the simulated systems a configuration points at, so the demo and the
 * Electron app run on the sandbox with the same code path as on real sources:
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
import type { SourceConfig } from '../app/config';
import { startFhirSandbox } from './fhirServer';
import { hl7SandboxDir } from './hl7Data';
import { startMllpSandbox } from './mllpServer';

export interface StartedSandbox {
  /** The source configuration rewritten to point at the running sandbox. */
  source: SourceConfig;
  close(): Promise<void>;
}

const SANDBOX = /^sandbox:([a-z0-9-]+)$/;

function sandboxName(value: string | number): string | undefined {
  return typeof value === 'string' ? SANDBOX.exec(value)?.[1] : undefined;
}

export async function startSandboxFor(source: SourceConfig): Promise<StartedSandbox | undefined> {
  if (!source.enabled) return undefined;
  switch (source.kind) {
    case 'fhir-r4': {
      const region = sandboxName(source.baseUrl);
      if (!region) return undefined;
      const sandbox = await startFhirSandbox({ region });
      return { source: { ...source, baseUrl: sandbox.url }, close: () => sandbox.close() };
    }
    case 'hl7v2-mllp': {
      const region = sandboxName(source.port);
      if (!region) return undefined;
      const sandbox = await startMllpSandbox({ region });
      return { source: { ...source, host: sandbox.host, port: sandbox.port }, close: () => sandbox.close() };
    }
    case 'hl7v2-batch': {
      const name = sandboxName(source.folder);
      if (!name) return undefined;
      const folder = mkdtempSync(path.join(tmpdir(), `samsyn-${name}-`));
      cpSync(path.join(hl7SandboxDir(), name), folder, { recursive: true });
      return {
        source: { ...source, folder, settleMs: 0 },
        close: async () => rmSync(folder, { recursive: true, force: true }),
      };
    }
  }
}
