/**
 * One MLLP connection for one patient query, through node-hl7-client's Client.
 * What the library does not do is done here, in one place:
 *  - one request in flight: the next is sent only after the previous reply
 *    (a second send before the first ACK spins the library at 100% CPU with
 *    `waitAck: true`; `waitAck: false` is used and ordering kept here);
 *  - correlation: the library hands every reply to one callback with no link
 *    to the request; a reply is ours only when MSA-2 equals our MSH-10, any
 *    other is discarded;
 *  - bytes: the library decodes replies as UTF-8 whatever its `encoding`
 *    option says, so the raw bytes are taken from the socket and framed with
 *    the library's own MLLPCodec in latin1 (which keeps every byte), then
 *    decoded by MSH-18;
 *  - faults: with its default `connectionTimeout: 0` a refused connection is
 *    never reported; a non-zero value makes it emit `client.error`. Resets and
 *    unterminated frames are told apart by what arrived before the close;
 *  - the deadline: the caller's AbortSignal closes the connection, so a late
 *    answer has nowhere to go.
 */
import type { Socket } from 'node:net';
import { isTlsFailure, type TlsMaterial } from '../common/tls';
import { Batch, Client, MLLPCodec, type Connection, type Message } from 'node-hl7-client';
import { CodedError, type ErrorCode } from '../../../shared/errors';
import { createLogger } from '../../platform/logger';
import { abortError } from '../common/abort';

const log = createLogger('sources.hl7v2.mllp');

/** The library's connection-timeout ceiling; the socket is destroyed after it even when busy. */
const LIBRARY_MAX_CONNECTION_MS = 60_000;

/** Largest reply frame read (the FHIR sources' response limit, ADR 0026): past it the connection is closed. */
export const MLLP_MAX_REPLY_BYTES = 32 * 1024 * 1024;

/** MLLP's end-of-frame byte (file separator) and the carriage return after it. */
const FS = 0x1c;
const CR = 0x0d;

export interface MllpTarget {
  host: string;
  port: number;
  /** HL7 version the library pins on every sent message's MSH-12. */
  version: string;
  /** MLLP over TLS (and mutual TLS): the source's CA and client certificate. */
  tls?: TlsMaterial;
  /** Largest reply frame, in bytes; default MLLP_MAX_REPLY_BYTES. */
  maxReplyBytes?: number;
}

interface Pending {
  accept: (bytes: Buffer) => boolean;
  resolve: (bytes: Buffer) => void;
  reject: (err: CodedError) => void;
}


function networkCode(err: unknown): ErrorCode {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (isTlsFailure(code)) return 'SOURCE_TLS_FAILED';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'HL7_CONNECTION_RESET';
  return 'SOURCE_UNREACHABLE';
}

export class MllpSession {
  private socket: Socket | undefined;
  private pending: Pending | undefined;
  private closed = false;
  /** Bytes received since the last complete frame: a close with some pending is a broken frame. */
  private partialBytes = 0;
  private socketError: NodeJS.ErrnoException | undefined;
  private readonly codec = new MLLPCodec('latin1');
  /** Bytes of the frame being received, until it can be complete. */
  private chunks: Buffer[] = [];
  private sawFs = false;
  private sawCr = false;

  private constructor(
    private readonly client: Client,
    private readonly connection: Connection,
    private readonly maxReplyBytes: number,
  ) {}

  static open(target: MllpTarget, signal: AbortSignal): Promise<MllpSession> {
    if (signal.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      let client: Client;
      let connection: Connection;
      try {
        client = new Client({
          host: target.host,
          version: target.version as never,
          connectionTimeout: LIBRARY_MAX_CONNECTION_MS,
          ...(target.tls ? { tls: { ...target.tls } } : {}),
        });
        connection = client.createConnection(
          { port: target.port, waitAck: false, maxConnectionAttempts: 1, version: target.version as never },
          // Replies are read from the socket (see above); the library's parse of them is not used.
          () => undefined,
        );
      } catch {
        reject(new CodedError('CONFIG_INVALID', { reason: 'mllp' }));
        return;
      }
      const session = new MllpSession(client, connection, target.maxReplyBytes ?? MLLP_MAX_REPLY_BYTES);
      const onAbort = () => {
        void session.close();
        reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      connection.once('connect', () => {
        signal.removeEventListener('abort', onAbort);
        session.attach();
        resolve(session);
      });
      connection.on('client.error', (err: unknown) => {
        const code = networkCode(err);
        if (!session.socket) {
          signal.removeEventListener('abort', onAbort);
          log.warn({ code, cause: (err as NodeJS.ErrnoException)?.code }, 'mllp connect failed');
          void session.close();
          reject(new CodedError(code));
        }
      });
      connection.on('data.error', () => undefined);
    });
  }

  /** The library keeps its socket private; it is read here only to see the bytes as they came. */
  private attach(): void {
    const socket = (this.connection as unknown as { _socket?: Socket })._socket;
    if (!socket) return;
    this.socket = socket;
    // The library's own reader is switched off (its `_codec` is only read on
    // receive): it kept a second copy of every reply and parsed it twice for a
    // handler whose result is not used — a million-segment reply for minutes.
    (this.connection as unknown as { _codec: unknown })._codec = null;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.socketError ??= err;
    });
    socket.on('close', () => this.onClose());
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.partialBytes += chunk.length;
    if (this.partialBytes > this.maxReplyBytes) {
      // Never held whole: the frame so far is dropped with the connection.
      const pending = this.pending;
      this.pending = undefined;
      log.warn({ code: 'SOURCE_RESPONSE_TOO_LARGE', bytes: this.partialBytes }, 'mllp reply over the limit');
      void this.close();
      pending?.reject(new CodedError('SOURCE_RESPONSE_TOO_LARGE', { limit: 'bytes', expected: this.maxReplyBytes }));
      return;
    }
    // Held as chunks and joined once the frame can be complete (the codec's own
    // test: an FS and a CR seen): the codec joins every chunk to all before it.
    this.chunks.push(chunk);
    this.sawFs ||= chunk.includes(FS);
    this.sawCr ||= chunk.includes(CR);
    if (!this.sawFs || !this.sawCr) return;
    const received = this.chunks.length === 1 ? chunk : Buffer.concat(this.chunks);
    this.chunks = [];
    this.sawFs = false;
    this.sawCr = false;
    if (!this.codec.receiveData(received)) return;
    this.partialBytes = 0;
    const frame = this.codec.getLastMessage();
    if (frame === null || frame === undefined) return;
    // The codec joins every frame that arrived in one chunk into one text; the
    // library's Batch splits it back into messages, which are judged one by one.
    let texts: string[];
    try {
      texts = /\rMSH\|/.test(frame) ? new Batch({ text: frame }).messages().map((m) => m.toString()) : [frame];
    } catch {
      texts = [frame];
    }
    for (const text of texts) this.onReply(Buffer.from(text, 'latin1'));
  }

  private onReply(bytes: Buffer): void {
    const pending = this.pending;
    if (!pending) {
      log.warn({ bytes: bytes.length }, 'unsolicited reply discarded');
      return;
    }
    let mine: boolean;
    try {
      mine = pending.accept(bytes);
    } catch (err) {
      this.pending = undefined;
      pending.reject(err instanceof CodedError ? err : new CodedError('HL7_MALFORMED'));
      return;
    }
    if (!mine) {
      log.warn({ bytes: bytes.length }, 'uncorrelated reply discarded');
      return;
    }
    this.pending = undefined;
    pending.resolve(bytes);
  }

  private onClose(): void {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending || this.closed) return;
    let code: ErrorCode;
    if (this.socketError) code = networkCode(this.socketError);
    else code = this.partialBytes > 0 ? 'HL7_FRAME_UNTERMINATED' : 'HL7_CONNECTION_RESET';
    log.warn({ code, partialBytes: this.partialBytes }, 'mllp connection closed during a query');
    pending.reject(new CodedError(code, this.partialBytes > 0 ? { partial: true } : { partial: false }));
  }

  /**
   * Sends one message and resolves with the raw bytes of the first reply that
   * `accept` claims (it returns false for someone else's reply, or throws a
   * CodedError to fail the request).
   */
  request(message: Message, accept: (bytes: Buffer) => boolean, signal: AbortSignal): Promise<Buffer> {
    if (signal.aborted) return Promise.reject(abortError(signal));
    if (this.closed || !this.socket || this.socket.destroyed) {
      return Promise.reject(new CodedError('HL7_CONNECTION_RESET', { partial: false }));
    }
    if (this.pending) return Promise.reject(new CodedError('INTERNAL', { reason: 'one-in-flight' }));
    return new Promise<Buffer>((resolve, reject) => {
      const onAbort = () => {
        this.pending = undefined;
        void this.close();
        reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending = {
        accept,
        resolve: (bytes) => {
          signal.removeEventListener('abort', onAbort);
          resolve(bytes);
        },
        reject: (err) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      this.connection.sendMessage(message).catch(() => {
        const pending = this.pending;
        this.pending = undefined;
        pending?.reject(new CodedError('HL7_CONNECTION_RESET', { partial: false }));
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.connection.close();
    this.client.closeAll();
    this.socket?.destroy();
  }
}
