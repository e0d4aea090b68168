/**
 * Starts the HL7 v2 sandboxes a configuration points at: `port: "sandbox:REGION"`
 * starts a simulated MLLP system; `folder: "sandbox:NAME"` copies the synthetic
 * drop files of resources/sandbox/hl7/NAME into a fresh temporary folder, so the
 * demo's imports (which move files) never touch the repository.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BatchSourceSettings, MllpSourceSettings } from '../sources/hl7v2/hl7SourceConfig';
import { hl7SandboxDir } from './hl7Data';
import { startMllpSandbox } from './mllpServer';

export interface StartedHl7Sandbox {
  source: MllpSourceSettings | BatchSourceSettings;
  close(): Promise<void>;
}

const SANDBOX = /^sandbox:([a-z0-9-]+)$/;

export async function startHl7Sandbox(source: MllpSourceSettings | BatchSourceSettings): Promise<StartedHl7Sandbox | undefined> {
  if (!source.enabled) return undefined;
  if (source.kind === 'hl7v2-mllp') {
    const region = typeof source.port === 'string' ? SANDBOX.exec(source.port)?.[1] : undefined;
    if (!region) return undefined;
    const sandbox = await startMllpSandbox({ region });
    return { source: { ...source, host: sandbox.host, port: sandbox.port }, close: () => sandbox.close() };
  }
  const name = SANDBOX.exec(source.folder)?.[1];
  if (!name) return undefined;
  const folder = mkdtempSync(path.join(tmpdir(), `samsyn-${name}-`));
  cpSync(path.join(hl7SandboxDir(), name), folder, { recursive: true });
  return {
    source: { ...source, folder, settleMs: 0 },
    close: async () => rmSync(folder, { recursive: true, force: true }),
  };
}
