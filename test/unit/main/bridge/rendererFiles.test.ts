import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mimeTypeOf, resolveRendererFile } from '../../../../src/main/bridge/rendererFiles';

const root = resolve('/srv/samsyn/dist/renderer');

describe('resolveRendererFile', () => {
  it('maps / to index.html and nested paths inside the folder', () => {
    expect(resolveRendererFile(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveRendererFile(root, '/assets/index-1.js')).toBe(join(root, 'assets', 'index-1.js'));
  });

  it('refuses paths that leave the folder, encoded or not', () => {
    for (const p of ['/../secret', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../x', '/..%2fx', '/a%00b', '/%E0%A4%A']) {
      expect(resolveRendererFile(root, p)).toBeUndefined();
    }
  });

  it('names MIME types for what the renderer build contains', () => {
    expect(mimeTypeOf('index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeOf('a.js')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeOf('a.bin')).toBe('application/octet-stream');
  });
});
