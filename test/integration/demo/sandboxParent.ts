/**
 * For sandboxProcess.test.ts: a parent that starts the demo's sandbox process
 * on the demo configuration, prints the child's pid, and then waits to be
 * killed (the test kills it with SIGKILL, so it runs no code on the way out).
 */
import { loadConfigFile } from '../../../src/main/app/config';
import { startSandboxProcess } from '../../../src/main/demo/sandboxProcess';
import { defaultConfigPath } from '../../../src/main/platform/paths';

async function main(): Promise<void> {
  const started = await startSandboxProcess(loadConfigFile(defaultConfigPath()));
  process.stdout.write(`sandbox ${started.pid}\n`);
  setInterval(() => undefined, 60_000);
}

void main();
