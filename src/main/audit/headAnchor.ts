/**
 * The head anchor: the last committed record's seq and hash, kept outside the
 * table it protects (a small sidecar file `audit.db.head`) and authenticated
 * with an HMAC under a key derived from the installation key. Without it a
 * log cut short (its last records deleted, or the file replaced by an older
 * copy) would still be a perfect chain.
 *
 * An append writes the anchor twice, each time atomically (temporary file,
 * fsync, rename): first with the record it is about to commit as `pending`,
 * then, once committed, as `committed`. A process killed between the two
 * leaves a pending anchor, which verification accepts when the table ends at
 * either the committed or the pending record: nothing committed is lost and
 * nothing is reported broken. (The one record of such a window is the only
 * one whose deletion an anchor cannot reveal; ADR 0012.)
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { z } from 'zod';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainHead {
  seq: number;
  hash: string;
}

export interface HeadAnchor {
  committed: ChainHead;
  pending?: ChainHead;
}

const headSchema = z.object({ seq: z.number().int().min(0), hash: z.string().regex(/^[0-9a-f]{64}$/) });
const fileSchema = z.object({
  v: z.literal(1),
  committed: headSchema,
  pending: headSchema.optional(),
  mac: z.string().regex(/^[0-9a-f]{64}$/),
});

function mac(key: Buffer, anchor: HeadAnchor): string {
  const { committed, pending } = anchor;
  return createHmac('sha256', key)
    .update(JSON.stringify(['samsyn-audit-head/v1', committed.seq, committed.hash, pending?.seq ?? null, pending?.hash ?? null]))
    .digest('hex');
}

export const anchorPath = (logPath: string) => `${logPath}.head`;

/**
 * Written atomically: a reader sees the old anchor or the new one, never half
 * of one. `durable` (the pending step, before the commit) also waits for the
 * disk; the committed step need not, since the pending one already covers it.
 */
export function writeAnchor(logPath: string, key: Buffer, anchor: HeadAnchor, durable = true): void {
  const path = anchorPath(logPath);
  const tmp = `${path}.tmp`;
  const body = { v: 1, committed: anchor.committed, ...(anchor.pending ? { pending: anchor.pending } : {}), mac: mac(key, anchor) };
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(body) + '\n');
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export type AnchorRead = { ok: true; anchor: HeadAnchor } | { ok: false; reason: 'missing' | 'malformed' | 'forged' };

/** The anchor, if present, well-formed and authentic under the key. */
export function readAnchor(logPath: string, key: Buffer): AnchorRead {
  let text: string;
  try {
    text = readFileSync(anchorPath(logPath), 'utf8');
  } catch {
    return { ok: false, reason: 'missing' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  const anchor: HeadAnchor = parsed.data.pending
    ? { committed: parsed.data.committed, pending: parsed.data.pending }
    : { committed: parsed.data.committed };
  const expected = Buffer.from(mac(key, anchor), 'hex');
  const given = Buffer.from(parsed.data.mac, 'hex');
  if (!timingSafeEqual(expected, given)) return { ok: false, reason: 'forged' };
  return { ok: true, anchor };
}

/** The raw text of the anchor file, to tell whether it changed while a verification read the table. */
export function anchorText(logPath: string): string | undefined {
  try {
    return readFileSync(anchorPath(logPath), 'utf8');
  } catch {
    return undefined;
  }
}
