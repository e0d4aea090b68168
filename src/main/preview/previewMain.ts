/**
 * The browser preview on its own, without the demo's simulated systems:
 * `node build/main/main/preview/previewMain.js [--config FILE] [--data DIR] [--port N]`.
 * Starts the runtime (cache, access log, services) on the configuration and
 * the preview server on 127.0.0.1, then prints one line, `ready <origin>`, when
 * it answers. The start-up benchmark (test/bench/start.bench.ts) times it; the
 * launch link with its token is printed only when asked (--print-url).
 */
import '../platform/quietByDefault';
import { join } from 'node:path';
import { startRuntime } from '../app/runtime';
import { defaultDataDir } from '../cache/configuredCache';
import { enableCompileCache } from '../platform/compileCache';
import { defaultConfigPath, projectRoot, rendererDir } from '../platform/paths';
import { startPreviewServer } from './previewServer';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
}

async function main(args: string[]): Promise<void> {
  const data = option(args, '--data');
  // Large libraries (node-hl7-client) load from a V8 code cache in the data folder (docs/adr/0030).
  enableCompileCache(join(data ?? defaultDataDir(projectRoot()), 'compile-cache'));
  const runtime = await startRuntime({
    configPath: option(args, '--config') ?? defaultConfigPath(),
    transport: 'preview',
    ...(data ? { dataDir: data } : {}),
  });
  const port = Number(option(args, '--port') ?? 0);
  const preview = await startPreviewServer({
    handlers: runtime.services.handlers,
    events: runtime.services.events,
    staticDir: rendererDir(),
    port,
  });
  process.stdout.write(`ready ${preview.origin}\n`);
  if (args.includes('--print-url')) process.stdout.write(`${preview.url}\n`);
  const stop = async () => {
    await preview.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`preview failed: ${(err as Error)?.name ?? typeof err}\n`);
  process.exit(1);
});
