/**
 * The thin Electron shell: one hardened window on the built renderer, IPC that
 * forwards to the same handlers the preview serves over HTTP.
 *
 * The renderer is served from a privileged custom scheme (samsyn://app/) rather
 * than file://, so the page has a real origin of its own, every response carries
 * the CSP as a header, and nothing else on disk is reachable from the page.
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell, type WebContents } from 'electron';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dispatch, materializeResult } from '../bridge/dispatch';
import { deliveryOf } from '../bridge/summaryParts';
import { resolveConfigPath } from '../app/config';
import { defaultConfigPath, rendererDir } from '../platform/paths';
import { mimeTypeOf, resolveRendererFile } from '../bridge/rendererFiles';
import { launchFromArgs } from '../app/launchContext';
import { startRuntime, type Runtime } from '../app/runtime';
import { createLogger } from '../platform/logger';
import { enableCompileCache } from '../platform/compileCache';
import { safeStorageKeyProvider, WRAPPED_KEY_FILE } from './safeStorageKeyProvider';
import {
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  INDEX_URL,
  isOurPage,
  permissionGranted,
  preventNavigation,
  rendererHeaders,
  windowOpenDecision,
  windowOptions,
} from './hardening';
import { PAPER_OPTIONS, PDF_OPTIONS, printOutputOf, saveDialogOptions, withPdfExtension, type PrintOutput } from './printing';

const log = createLogger('electron');
const INVOKE_CHANNEL = 'samsyn:invoke';
const EVENT_CHANNEL = 'samsyn:event';

let runtime: Runtime | undefined;

// Must happen before the app is ready.
protocol.registerSchemesAsPrivileged([...APP_SCHEME_PRIVILEGES]);

function serveRenderer(): void {
  const root = rendererDir();
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'app' ? resolveRendererFile(root, url.pathname) : undefined;
    if (!file) return new Response(null, { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, { headers: rendererHeaders(mimeTypeOf(file)) });
    } catch {
      return new Response(null, { status: 404 });
    }
  });
}

function createWindow(): BrowserWindow {
  // Every window's options and web preferences: hardening.ts (tested without Electron).
  const win = new BrowserWindow(windowOptions(join(__dirname, 'preload.js')));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(INDEX_URL);
  return win;
}

/**
 * Prints the page as the renderer laid it out for print (it asked after
 * rendering every row): paper through the system dialog, or a PDF into a file
 * the user chooses. The access log already holds the print or export.
 */
async function printOut(contents: WebContents, output: PrintOutput): Promise<{ ok: true; value: { printed: true; saved?: boolean } } | { ok: false; error: { code: 'PRINT_SAVE_FAILED' } }> {
  if (output === 'paper') {
    await new Promise<void>((resolve) => contents.print(PAPER_OPTIONS, () => resolve()));
    return { ok: true, value: { printed: true } };
  }
  const win = BrowserWindow.fromWebContents(contents);
  const options = saveDialogOptions(app.getPath('documents'), new Date());
  const choice = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (choice.canceled || !choice.filePath) return { ok: true, value: { printed: true, saved: false } };
  try {
    const pdf = await contents.printToPDF(PDF_OPTIONS);
    await writeFile(withPdfExtension(choice.filePath), pdf, { mode: 0o600 });
  } catch (err) {
    // The path may name the patient (the user typed it): only the error's kind is logged.
    log.warn({ err: (err as Error)?.name ?? typeof err }, 'saving the PDF failed');
    return { ok: false, error: { code: 'PRINT_SAVE_FAILED' } };
  }
  return { ok: true, value: { printed: true, saved: true } };
}

function harden(): void {
  // No remote content: every permission request (camera, notifications...) is refused.
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionGranted(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => permissionGranted(permission));
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (preventNavigation(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (preventNavigation(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links to public web pages open in the system browser, never inside the app.
      const decision = windowOpenDecision(url);
      if (decision.openExternally) void shell.openExternal(url);
      return { action: decision.action };
    });
  });
}

async function main(): Promise<void> {
  app.enableSandbox();
  // Large libraries loaded later (node-hl7-client at the first HL7 v2 query) load from compiled code (ADR 0030); kept per user.
  enableCompileCache(join(app.getPath('userData'), 'code-cache'));
  await app.whenReady();
  harden();
  serveRenderer();
  runtime = await startRuntime({
    configPath: resolveConfigPath({ dataDir: app.getPath('userData'), fallback: defaultConfigPath() }).path,
    transport: 'electron',
    dataDir: app.getPath('userData'),
    keyProvider: safeStorageKeyProvider(join(app.getPath('userData'), WRAPPED_KEY_FILE)),
  });
  const handlers = runtime.services.handlers;
  // Pushed events (the fresh summary after a cached one) go to our own page only.
  // A large summary update goes in two parts, part 1 first and part 2 in the next turn (ADR 0032), as the preview's event stream sends it.
  runtime.services.events.subscribe((event, payload) => {
    const sendToPages = (part: { event: string; payload: object }) => {
      for (const win of BrowserWindow.getAllWindows()) {
        if (isOurPage(win.webContents.getURL())) win.webContents.send(EVENT_CHANNEL, part.event, part.payload);
      }
    };
    deliveryOf(event, payload).forEach((part, n) => (n === 0 ? sendToPages(part) : setImmediate(() => sendToPages(part))));
  });
  ipcMain.handle(INVOKE_CHANNEL, async (event, command: unknown, request: unknown) => {
    // Only our own page may call the services.
    if (!isOurPage(event.senderFrame?.url)) return { ok: false, error: { code: 'BRIDGE_UNAUTHORIZED' } };
    // IPC clones what it sends: a pre-serialized summary goes as plain data.
    const result = materializeResult(await dispatch(handlers, String(command), request));
    // Print and save as PDF: logged by the command, then printed here from the page the renderer prepared.
    const output = result.ok ? printOutputOf(command, request) : undefined;
    if (output) return printOut(event.sender, output);
    // OpenID Connect sign-in: the identity provider's page opens in the system browser (RFC 8252), never in our window.
    const signInUrl = command === 'session.signIn' && result.ok ? (result.value as { authorizationUrl?: string }).authorizationUrl : undefined;
    if (signInUrl && /^https?:\/\//.test(signInUrl)) void shell.openExternal(signInUrl);
    return result;
  });
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  // Launched in a patient's context: on start, and from every later launch (the single instance receives them).
  launchFrom(process.argv);
  for (const url of earlyUrls.splice(0)) launchFrom([url]);
}

/** URLs macOS hands over before the runtime is up. */
const earlyUrls: string[] = [];

/** A samsyn://patient/<id> link or --patient ID in argv: validated, then opened in the signed-in session (or when one signs in). */
function launchFrom(argv: readonly string[]): void {
  const launch = launchFromArgs(argv, new Date());
  if (!launch) return;
  if (!launch.ok) {
    log.warn({ code: launch.error.code }, 'launch in patient context refused');
    return;
  }
  runtime?.services.launch(launch.value);
  const win = BrowserWindow.getAllWindows()[0];
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
}

// One instance: a second launch (a link clicked in the journal system) is handed to the running one.
const primary = app.requestSingleInstanceLock();
if (!primary) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv) => launchFrom(argv));
  app.on('open-url', (event, url) => {
    event.preventDefault();
    if (runtime) launchFrom([url]);
    else earlyUrls.push(url);
  });
  app.setAsDefaultProtocolClient('samsyn');
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  void runtime?.close();
});

if (primary) {
  main().catch((err: unknown) => {
    log.fatal({ err: (err as Error)?.name ?? typeof err }, 'start-up failed');
    app.exit(1);
  });
}
