/**
 * The HL7 v2 source kinds: a query over MLLP and a batch drop folder. Their
 * adapters load node-hl7-client's MLLP client and the file importer only when
 * a source of that kind is configured, so a FHIR-only installation (and every
 * CLI run that reads no HL7) never pays for loading them.
 */
import { constants as fsConstants, promises as fs } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { CodedError } from '../../../shared/errors';
import { defineSourceKind, type BaseSourceSettings } from '../sourceKind';
import { checkSegmentLimit, readHl7File, readHl7ForPatient, selectForPatient } from './hl7File';
import { batchSourceSchema, mllpSourceSchema, type BatchSourceSettings, type MllpSourceSettings } from './hl7SourceConfig';
import { isHl7Bytes } from './hl7Text';
import type { SourceAdapter, SourceCheck } from '../types';
import { isTlsFailure, readTlsMaterial, type TlsMaterial } from '../common/tls';

/**
 * An adapter whose implementation module is imported at its first request, so
 * configuring a source costs nothing until it is asked.
 */
function loadedOnFirstUse(
  settings: BaseSourceSettings,
  load: () => Promise<SourceAdapter>,
  check: (signal: AbortSignal) => Promise<SourceCheck>,
): SourceAdapter {
  let adapter: Promise<SourceAdapter> | undefined;
  let loaded: SourceAdapter | undefined;
  return {
    id: settings.id,
    name: settings.name,
    kind: settings.kind,
    timeoutMs: settings.timeoutMs,
    fetchPatient: async (query, signal) => {
      loaded = await (adapter ??= load());
      return loaded.fetchPatient(query, signal);
    },
    // Before its first request the source has nothing to report.
    health: () => loaded?.health?.() ?? { notes: [] },
    check,
  };
}

/** An MLLP peer is checked by opening a TCP (or TLS) connection and closing it: no message is sent. */
function tcpCheck(host: string, port: number, material?: TlsMaterial) {
  return (signal: AbortSignal): Promise<SourceCheck> =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new CodedError('SOURCE_TIMEOUT'));
      const started = performance.now();
      const socket = material ? tls.connect({ host, port, ...material }) : net.connect({ host, port });
      const done = (err?: CodedError) => {
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        if (err) reject(err);
        else resolve({ details: { connectMs: Math.round(performance.now() - started) } });
      };
      const onAbort = () => done(new CodedError('SOURCE_TIMEOUT'));
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once(material ? 'secureConnect' : 'connect', () => done());
      socket.once('error', (err: NodeJS.ErrnoException) => done(new CodedError(isTlsFailure(err.code) ? 'SOURCE_TLS_FAILED' : 'SOURCE_UNREACHABLE')));
    });
}

/** A drop folder is checked for being a folder Samsyn can read and write (it moves files to processed/ and quarantine/). */
function folderCheck(folder: string) {
  return async (): Promise<SourceCheck> => {
    let stat;
    try {
      stat = await fs.stat(folder);
    } catch {
      throw new CodedError('FILE_NOT_FOUND');
    }
    if (!stat.isDirectory()) throw new CodedError('HL7_FILE_NOT_REGULAR');
    try {
      await fs.access(folder, fsConstants.R_OK | fsConstants.W_OK);
    } catch {
      throw new CodedError('HL7_FOLDER_READ_ONLY');
    }
    const entries = await fs.readdir(folder);
    return { details: { files: entries.filter((e) => e !== 'processed' && e !== 'quarantine').length } };
  };
}

export const MLLP_SOURCE_KIND = defineSourceKind<MllpSourceSettings>({
  kind: 'hl7v2-mllp',
  schema: mllpSourceSchema,
  create(s, deps) {
    if (typeof s.port !== 'number') throw new CodedError('SOURCE_DISABLED', { reason: 'sandbox' });
    const port = s.port;
    // PEM files are read now: a missing one disables the source with the setting's path.
    const material = s.tls ? readTlsMaterial(s.tls) : undefined;
    return loadedOnFirstUse(
      s,
      async () =>
        (await import('./mllpQueryAdapter.js')).createMllpQuerySource({
          id: s.id,
          name: s.name,
          host: s.host,
          port,
          timeoutMs: s.timeoutMs,
          query: s.query,
          profile: { ...s.profile, version: s.version, queryName: s.queryName },
          ...(s.limit ? { limit: s.limit } : {}),
          ...(s.defaultAuthority ? { defaultAuthority: s.defaultAuthority } : {}),
          ...(s.confidentiality ? { confidentiality: s.confidentiality } : {}),
          ...(material ? { tls: material } : {}),
          ...(s.maxReplyBytes !== undefined ? { maxReplyBytes: s.maxReplyBytes } : {}),
          ...(s.maxReplySegments !== undefined ? { maxReplySegments: s.maxReplySegments } : {}),
          ...(s.maxContinuations !== undefined ? { maxContinuations: s.maxContinuations } : {}),
          clock: deps.clock,
          logger: deps.logger,
        }),
      tcpCheck(s.host, port, material),
    );
  },
  endpoint: (s) => `mllp://${s.host}:${s.port}`,
});

export const BATCH_SOURCE_KIND = defineSourceKind<BatchSourceSettings>({
  kind: 'hl7v2-batch',
  schema: batchSourceSchema,
  create: (s, deps) =>
    loadedOnFirstUse(s, async () =>
      (await import('./batchFolderSource.js')).createBatchFolderSource({
        id: s.id,
        name: s.name,
        folder: s.folder,
        timeoutMs: s.timeoutMs,
        ...(s.settleMs !== undefined ? { settleMs: s.settleMs } : {}),
        ...(s.defaultAuthority ? { defaultAuthority: s.defaultAuthority } : {}),
        ...(s.maxFileBytes !== undefined ? { maxFileBytes: s.maxFileBytes } : {}),
        ...(s.maxMessages !== undefined ? { maxMessages: s.maxMessages } : {}),
        ...(s.maxSegments !== undefined ? { maxSegments: s.maxSegments } : {}),
        ...(s.incompleteAfterMs !== undefined ? { incompleteAfterMs: s.incompleteAfterMs } : {}),
        ...(s.maxHeldItems !== undefined ? { maxHeldItems: s.maxHeldItems } : {}),
        ...(s.endMarker ? { endMarker: s.endMarker } : {}),
        ...(s.confidentiality ? { confidentiality: s.confidentiality } : {}),
        clock: deps.clock,
        logger: deps.logger,
      }),
      folderCheck(s.folder),
    ),
  endpoint: (s) => s.folder,
  files: {
    claims: isHl7Bytes,
    /**
     * The file as one source result for the patient. Any malformed message
     * fails the file: a command-line check must not pass over part of a feed.
     */
    read(bytes, ctx) {
      checkSegmentLimit(bytes);
      const content = readHl7File(bytes, { sourceId: ctx.sourceId, sourceName: ctx.sourceName, fetchedAt: ctx.fetchedAt });
      const bad = content.messages.find((m) => m.error || !m.mapped);
      if (bad) throw bad.error ?? new CodedError('HL7_MALFORMED', { message: bad.index });
      return selectForPatient(
        content.messages.flatMap((m) => (m.mapped ? [m.mapped] : [])),
        ctx.identifier,
        ctx.fetchedAt,
      );
    },
    /** `read` in steps, keeping only what the answer needs (hl7File.ts readHl7ForPatient): the CLI's path. */
    readAsync: (bytes, ctx) =>
      readHl7ForPatient(
        bytes,
        { sourceId: ctx.sourceId, sourceName: ctx.sourceName, fetchedAt: ctx.fetchedAt, identifier: ctx.identifier },
        ctx.maxSegments !== undefined ? { maxSegments: ctx.maxSegments } : {},
      ),
  },
});
