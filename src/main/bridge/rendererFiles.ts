/**
 * The built renderer as files: which file a request path means, its MIME type,
 * and the content security policy both shells send with it. Shared by the
 * preview's HTTP server and Electron's `samsyn://app/` protocol so the two serve
 * the page the same way.
 */
import { extname, join, normalize, resolve, sep } from 'node:path';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  // frame-src blob: shows a journal document's PDF, made in the page from bytes main fetched, in the platform's viewer.
  "object-src 'none'; frame-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

export function mimeTypeOf(file: string): string {
  return MIME[extname(file)] ?? 'application/octet-stream';
}

/**
 * The file under `root` that a URL path names ('/' is index.html), or undefined
 * when the path would leave `root` or cannot be decoded.
 */
export function resolveRendererFile(root: string, pathname: string): string | undefined {
  const base = resolve(root);
  let rel: string;
  try {
    rel = pathname === '/' || pathname === '' ? 'index.html' : decodeURIComponent(pathname.replace(/^\/+/, ''));
  } catch {
    return undefined;
  }
  if (rel.includes('\0')) return undefined;
  const file = normalize(join(base, rel));
  return file.startsWith(base + sep) ? file : undefined;
}
