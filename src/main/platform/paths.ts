import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder holding package.json, found by walking up from this file, so paths
 * work the same under tsx (src/main/app) and compiled (build/main/main/app).
 */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the running code');
    dir = parent;
  }
}

export const rendererDir = (): string => join(projectRoot(), 'dist', 'renderer');
export const resourcesDir = (): string => join(projectRoot(), 'resources');
export const defaultConfigPath = (): string => join(resourcesDir(), 'config', 'demo.json');
