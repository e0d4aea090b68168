/** `samsyn summarize --as USER`: the command line's technical identity from the local directory (issue 10). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/main/cli/index';
import { cli } from './runCli';

const fixture = (name: string) => join(__dirname, '..', '..', 'fixtures', 'bundles', name);

describe('samsyn summarize --as', () => {
  it('runs as the default cli identity and as a named local user', async () => {
    expect((await cli('summarize', fixture('tolvan-nord.json'), '--patient', '19121212-1212', '--json')).code).toBe(EXIT.ok);
    expect((await cli('summarize', fixture('tolvan-nord.json'), '--patient', '19121212-1212', '--as', 'maria.dental', '--json')).code).toBe(EXIT.ok);
  });

  it('refuses a user not in the local directory, with usage', async () => {
    const r = await cli('summarize', fixture('tolvan-nord.json'), '--patient', '19121212-1212', '--as', 'nobody');
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain('AUTH_USER_UNKNOWN');
    expect(r.err).toContain('--as');
    expect(r.out).toBe('');
  });
});
