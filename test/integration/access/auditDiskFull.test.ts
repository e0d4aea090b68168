/**
 * The access log on a full disk (issue 14 item 4, probe R3): the access is
 * still refused (fail closed, ADR 0012), and said as a full disk —
 * AUDIT_DISK_FULL in words — not as a bare "could not be logged". A real
 * SQLite refusal: the log's database limited to the pages it has
 * (max_page_count), as a full disk gives SQLITE_FULL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/main/app/createServices';
import { readConfig } from '../../../src/main/app/config';
import { AUDIT_FILE, openAccessLog } from '../../../src/main/audit';
import { createAccessLog } from '../../../src/main/audit/accessLog';
import { deriveAuditKeys, openAccessLogDatabase } from '../../../src/main/audit/accessLogDatabase';
import { createLogger } from '../../../src/main/platform/logger';
import { errorLine } from '../../../src/main/cli/errorWords';
import { sv } from '../../../src/renderer/i18n/messages/sv';
import { signInForTest } from '../../fixtures/session';

const clock = { now: () => new Date('2026-11-30T10:00:00Z') };
const logger = createLogger('test');
const TOLVAN = '19121212-1212';
let dir: string | undefined;

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the access log on a full disk', () => {
  it('refuses the access as AUDIT_DISK_FULL, in words that say the disk is full', async () => {
    dir = mkdtempSync(join(tmpdir(), 'samsyn-audit-full-'));
    const keyProvider = { kind: 'test', getKey: () => Buffer.alloc(32, 7) };
    // Made as the app makes it (its first anchor written), then opened again with its database at hand.
    openAccessLog({ dir, keyProvider, clock, logger }).close();
    const keys = deriveAuditKeys(keyProvider.getKey());
    const path = join(dir, AUDIT_FILE);
    const db = openAccessLogDatabase(path, keys);
    const log = createAccessLog({ db, keys, path, clock, logger });
    const services = createServices({ config: readConfig({ sources: [] }), clock, logger, transport: 'preview', version: 'test', accessLog: { log } });
    try {
      await signInForTest(services, 'anna.nurse');
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
      let refused: string | undefined;
      // Each open appends a record; the pages left fill up within a few hundred.
      for (let i = 0; i < 2_000 && !refused; i++) {
        const opened = await services.handlers['summary.open']({ patient: TOLVAN, purpose: 'care' });
        if (!opened.ok) refused = opened.error.code;
      }
      await services.summary.settled();
      expect(refused).toBe('AUDIT_DISK_FULL');
      // What was written before stays a chain that verifies.
      expect(log.verify()).toMatchObject({ intact: true });
      expect(sv.errors.AUDIT_DISK_FULL).toMatch(/Disken är full/);
      expect(errorLine({ code: 'AUDIT_DISK_FULL' })).toMatch(/disk is full/);
    } finally {
      log.close();
    }
  });
});
