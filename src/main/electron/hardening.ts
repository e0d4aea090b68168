/**
 * The Electron shell's security settings as plain data and pure decisions, so
 * tests under Node check every one without loading Electron (this file must
 * never import 'electron' at run time: test/unit/main/electron/hardening.test.ts
 * says so). main.ts wires each of them to Electron:
 *  - every BrowserWindow is made from windowOptions() (context isolation,
 *    sandbox, no Node integration, web security, no webview tag);
 *  - the page is only ever our own INDEX_URL on the privileged samsyn:// scheme,
 *    served with the strict CSP as a header;
 *  - navigation away from it, new windows, webviews and every permission
 *    request (camera, notifications, ...) are refused.
 */
import { CONTENT_SECURITY_POLICY } from '../bridge/rendererFiles';

export { CONTENT_SECURITY_POLICY };

export const APP_SCHEME = 'samsyn';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const INDEX_URL = `${APP_ORIGIN}/index.html`;

/** The scheme's privileges: a standard, secure origin of its own (never file://). */
export const APP_SCHEME_PRIVILEGES = [{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }] as const;

/** True for our own page only (any #fragment), never another path, host or scheme. */
export function isOurPage(url: string | undefined): boolean {
  return url?.split('#')[0] === INDEX_URL;
}

/** The web preferences of every window: what the renderer can reach. */
export function webPreferences(preload: string) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    // Middle-click opens no window (new windows are denied anyway; electronegativity AUXCLICK_JS_CHECK).
    disableBlinkFeatures: 'Auxclick',
    spellcheck: false,
    // Chromium's PDF viewer, for journal documents shown from blob: URLs the page makes (rendererFiles.ts CSP).
    plugins: true,
  } as const;
}

/** The options every BrowserWindow is created with. */
export function windowOptions(preload: string) {
  return {
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: 'Samsyn',
    show: false,
    webPreferences: webPreferences(preload),
  } as const;
}

/** will-navigate / will-redirect: true when the navigation must be prevented (anything but our own page). */
export function preventNavigation(url: string): boolean {
  return !isOurPage(url);
}

/**
 * setWindowOpenHandler: no window is ever opened inside the app. A public
 * https:// page may go to the system browser; anything else goes nowhere.
 */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: boolean } {
  let external = false;
  try {
    external = new URL(url).protocol === 'https:';
  } catch {
    external = false;
  }
  return { action: 'deny', openExternally: external };
}

/** setPermissionRequestHandler / setPermissionCheckHandler: every permission refused. */
export function permissionGranted(_permission: string): false {
  return false;
}

/** The headers every file of the renderer is served with. */
export function rendererHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
  };
}
