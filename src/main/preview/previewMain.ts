/**
 * The browser preview on its own, without the demo's simulated systems:
 * `npm run preview -- [--config FILE] [--data DIR] [--port N]` (bundled by
 * scripts/bundle-demo.mjs, docs/adr/0035; compiled by tsc it runs the same).
 * Starts the runtime (cache, access log, services) on the configuration and
 * the preview server on 127.0.0.1, then prints one line, `ready <origin>`, when
 * it answers. The start-up benchmark (test/bench/start.bench.ts) times it; the
 * launch link with its token is printed only when asked (--print-url).
 *
 * Only the code cache is loaded before it is on (docs/adr/0030): the runtime
 * and the server are imported after, so their modules start from it.
 */
import '../platform/quietByDefault';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { enableCompileCache, defaultCompileCacheDir } from '../platform/compileCache';
import { defaultConfigPath, rendererDir } from '../platform/paths';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
}

async function main(args: string[]): Promise<void> {
  if (!existsSync(join(rendererDir(), 'index.html'))) {
    process.stderr.write('preview: the interface is not built (run npm run build:renderer first)\n');
    process.exit(2);
  }
  enableCompileCache(defaultCompileCacheDir());
  const [{ startRuntime }, { startPreviewServer }] = await Promise.all([import('../app/runtime.js'), import('./previewServer.js')]);
  const data = option(args, '--data');
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
