/**
 * Electron hardening (issue 14, item 8), checked under Node without Electron:
 * the pure settings and decisions in src/main/electron/hardening.ts, and a
 * static reading of main.ts that every window, navigation, new window,
 * permission and page load goes through them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  APP_SCHEME_PRIVILEGES,
  CONTENT_SECURITY_POLICY,
  INDEX_URL,
  isOurPage,
  permissionGranted,
  preventNavigation,
  rendererHeaders,
  webPreferences,
  windowOpenDecision,
  windowOptions,
} from '../../../../src/main/electron/hardening';

const src = join(__dirname, '..', '..', '..', '..', 'src', 'main');
const read = (file: string) => readFileSync(join(src, file), 'utf8');

/** What a compiled CommonJS file requires at run time (type-only imports vanish). */
function runtimeRequires(file: string): string[] {
  const out = ts.transpileModule(read(file), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  return [...out.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1] ?? '');
}

const FOREIGN_URLS = [
  'https://evil.example/',
  'http://127.0.0.1:8080/index.html',
  'file:///etc/passwd',
  'samsyn://app/other.html',
  'samsyn://evil/index.html',
  'samsyn://app/index.html/../x',
  'javascript:alert(1)',
  'data:text/html,<script>1</script>',
  'about:blank',
  'blob:samsyn://app/123',
  '',
];

describe('hardening.ts is pure', () => {
  it('loads without Electron: neither it nor what it requires imports electron', () => {
    expect(runtimeRequires('electron/hardening.ts')).toEqual(['../bridge/rendererFiles']);
    expect(runtimeRequires('bridge/rendererFiles.ts').filter((r) => r.includes('electron'))).toEqual([]);
  });
});

describe('window options', () => {
  const prefs = webPreferences('/app/preload.js');

  it('isolates and sandboxes the renderer, without Node, with web security on', () => {
    expect(prefs).toMatchObject({
      preload: '/app/preload.js',
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
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('every window gets exactly those web preferences, and is shown only when ready', () => {
    expect(windowOptions('/app/preload.js').webPreferences).toEqual(prefs);
    expect(windowOptions('/app/preload.js').show).toBe(false);
  });

  it('serves the page from a secure standard scheme of its own', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual([{ scheme: 'samsyn', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(INDEX_URL).toBe('samsyn://app/index.html');
  });
});

describe('navigation, new windows and permissions', () => {
  it('allows only our own page; prevents every other navigation', () => {
    expect(preventNavigation(INDEX_URL)).toBe(false);
    expect(preventNavigation(`${INDEX_URL}#/patient`)).toBe(false);
    for (const url of FOREIGN_URLS) expect(preventNavigation(url), url).toBe(true);
    expect(isOurPage(undefined)).toBe(false);
  });

  it('denies every new window; only a public https page may go to the system browser', () => {
    for (const url of [...FOREIGN_URLS, INDEX_URL]) expect(windowOpenDecision(url).action, url).toBe('deny');
    expect(windowOpenDecision('https://www.1177.se/').openExternally).toBe(true);
    for (const url of ['http://example.org/', 'file:///etc/passwd', 'javascript:alert(1)', INDEX_URL, 'not a url', 'smb://host/share']) {
      expect(windowOpenDecision(url).openExternally, url).toBe(false);
    }
  });

  it('refuses every permission', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'openExternal', 'fullscreen', 'hid', 'serial', 'usb']) {
      expect(permissionGranted(p), p).toBe(false);
    }
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name as string, values]),
  );

  it('allows no inline script, no eval and no remote host anywhere', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval|strict-dynamic/);
    for (const [name, values] of directives) {
      for (const v of values) {
        // Only keywords and the two local schemes the page makes itself; never a host, http(s):, ws(s): or *.
        expect(["'self'", "'none'", 'data:', 'blob:'], `${name} ${v}`).toContain(v);
      }
    }
  });

  it('locks down the directives that matter', () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('is sent with every renderer file, with nosniff', () => {
    expect(rendererHeaders('text/html')).toEqual({
      'Content-Type': 'text/html',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    });
  });
});

describe('main.ts wires every control', () => {
  const text = read('electron/main.ts');
  const file = ts.createSourceFile('main.ts', text, ts.ScriptTarget.ES2022, true);
  const calls: ts.CallExpression[] = [];
  const news: ts.NewExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) calls.push(node);
    if (ts.isNewExpression(node)) news.push(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  const method = (c: ts.CallExpression) => (ts.isPropertyAccessExpression(c.expression) ? c.expression.name.text : c.expression.getText());
  const callsOf = (name: string) => calls.filter((c) => method(c) === name);

  it('every BrowserWindow is made from windowOptions(), and main.ts sets no web preference of its own', () => {
    const windows = news.filter((n) => n.expression.getText() === 'BrowserWindow');
    expect(windows.length).toBeGreaterThan(0);
    for (const w of windows) expect(w.arguments?.[0]?.getText()).toMatch(/^windowOptions\(/);
    expect(text).not.toMatch(/webPreferences\s*:|nodeIntegration|contextIsolation|sandbox\s*:|webSecurity/);
    expect(text).not.toMatch(/disableWebSecurity|enableRemoteModule|allowpopups/i);
  });

  it('loads only the app page: loadURL(INDEX_URL), never loadFile or a remote URL', () => {
    const loads = callsOf('loadURL');
    expect(loads.length).toBeGreaterThan(0);
    for (const l of loads) expect(l.arguments.map((a) => a.getText())).toEqual(['INDEX_URL']);
    expect(callsOf('loadFile')).toEqual([]);
    const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/ .*$/gm, '');
    expect(code).not.toMatch(/pathToFileURL|file:\/\//);
  });

  it('denies new windows, prevents navigation and redirects away, refuses webviews', () => {
    const open = callsOf('setWindowOpenHandler');
    expect(open).toHaveLength(1);
    expect(open[0]?.getText()).toMatch(/windowOpenDecision\(url\)/);
    expect(open[0]?.getText()).toMatch(/return \{ action: decision\.action \}/);
    const on = callsOf('on').map((c) => c.getText());
    for (const event of ['will-navigate', 'will-redirect']) {
      const handler = on.find((c) => c.includes(`'${event}'`));
      expect(handler, event).toMatch(/if \(preventNavigation\(url\)\) event\.preventDefault\(\)/);
    }
    expect(on.find((c) => c.includes("'will-attach-webview'"))).toMatch(/event\.preventDefault\(\)/);
  });

  it('refuses every permission request and check', () => {
    expect(callsOf('setPermissionRequestHandler').map((c) => c.getText())).toEqual([
      expect.stringMatching(/callback\(permissionGranted\(permission\)\)/),
    ]);
    expect(callsOf('setPermissionCheckHandler').map((c) => c.getText())).toEqual([expect.stringMatching(/permissionGranted\(permission\)/)]);
  });

  it('serves the renderer on its own scheme with the CSP headers, and sandboxes every renderer', () => {
    expect(callsOf('registerSchemesAsPrivileged').map((c) => c.arguments[0]?.getText())).toEqual(['[...APP_SCHEME_PRIVILEGES]']);
    expect(text).toMatch(/protocol\.handle\(APP_SCHEME,/);
    expect(text).toMatch(/headers: rendererHeaders\(/);
    expect(callsOf('enableSandbox')).toHaveLength(1);
  });

  it('answers IPC only from our own page and sends events only to it', () => {
    expect(text).toMatch(/if \(!isOurPage\(event\.senderFrame\?\.url\)\) return \{ ok: false, error: \{ code: 'BRIDGE_UNAUTHORIZED' \} \}/);
    expect(text).toMatch(/if \(isOurPage\(win\.webContents\.getURL\(\)\)\) win\.webContents\.send/);
  });
});

describe('preload exposes only the typed API', () => {
  const text = read('electron/preload.ts');

  it('requires nothing but electron', () => {
    expect(runtimeRequires('electron/preload.ts')).toEqual(['electron']);
  });

  it('exposes one object, window.samsyn, with invoke and on only, typed as SamsynBridge', () => {
    expect([...text.matchAll(/exposeInMainWorld\(/g)]).toHaveLength(1);
    expect(text).toMatch(/exposeInMainWorld\('samsyn', bridge\)/);
    expect(text).toContain('satisfies SamsynBridge');
    const file = ts.createSourceFile('preload.ts', text, ts.ScriptTarget.ES2022, true);
    let keys: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && node.name.getText() === 'bridge') {
        let init = node.initializer;
        while (init && ts.isSatisfiesExpression(init)) init = init.expression;
        if (init && ts.isObjectLiteralExpression(init)) keys = init.properties.map((p) => p.name?.getText() ?? '?');
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    expect(keys).toEqual(['invoke', 'on']);
    // No raw ipcRenderer, Node or process handed to the page.
    expect(text.replace(/^import .*$/gm, '')).not.toMatch(/ipcRenderer\s*[,}]|process\.|require\(/);
  });
});
