/**
 * A child process for the folder probe (folderUnderLoad.test.ts): the app's
 * services over one HL7 v2 batch folder, served by the preview on 127.0.0.1,
 * signed in. Prints one JSON line with the preview's origin and token, then
 * runs until killed. Started with a small --max-old-space-size by the test.
 */
import { parseConfig } from '../../../src/main/app/config';
import { createServices } from '../../../src/main/app/createServices';
import { createLogger } from '../../../src/main/platform/logger';
import { startPreviewServer } from '../../../src/main/preview/previewServer';
import { signInForTest } from '../../fixtures/session';

async function main(): Promise<void> {
  const folder = process.argv[2];
  if (!folder) throw new Error('usage: folderApp.ts FOLDER');
  const config = parseConfig({
    sources: [{ id: 'lab', name: 'Lab', kind: 'hl7v2-batch', folder, settleMs: 0, timeoutMs: 120_000 }],
  });
  const services = createServices({
    config,
    clock: { now: () => new Date() },
    logger: createLogger('probe'),
    transport: 'preview',
    version: 'probe',
  });
  await signInForTest(services);
  const preview = await startPreviewServer({ handlers: services.handlers, events: services.events, staticDir: folder });
  process.stdout.write(`${JSON.stringify({ origin: preview.origin, token: preview.token })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`folderApp failed: ${(err as Error)?.name ?? 'error'}\n`);
  process.exit(1);
});
