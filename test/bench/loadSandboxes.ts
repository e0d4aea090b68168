/**
 * The simulated systems for load.bench.ts, in their own process (as real
 * regional systems are never in the app's): two FHIR regions, one MLLP system
 * and a FHIR server that never answers. Prints one JSON line with their
 * addresses, then serves until its stdin closes (the bench ending).
 */
import { startFhirSandbox } from '../../src/main/sandbox/fhirServer';
import { startMllpSandbox } from '../../src/main/sandbox/mllpServer';
import { startHungServer } from '../e2e/hungServer';

async function main(): Promise<void> {
  const [nord, syd, vast, hung] = await Promise.all([
    startFhirSandbox({ region: 'nord' }),
    startFhirSandbox({ region: 'syd' }),
    startMllpSandbox({ region: 'vast' }),
    startHungServer(),
  ]);
  process.stdout.write(`${JSON.stringify({ nord: nord.url, syd: syd.url, vast: vast.port, hung: hung.url })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void Promise.all([nord.close(), syd.close(), vast.close(), hung.close()]).finally(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`sandboxes failed: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
