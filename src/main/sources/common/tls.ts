/**
 * TLS and mutual TLS for a source — FHIR over HTTPS, HL7 v2 over MLLP/TLS
 * (issue 12 item 4): the CA certificates
 * to trust for this source (they replace the system's roots for it, so a
 * region's own CA pins its servers) and a client certificate and key for
 * servers that require one. PEM files are read when the source is created: a
 * missing or unreadable file disables the source with FILE_UNREADABLE and the
 * setting's path, never its content. undici (the library Node's fetch is
 * built on) is loaded only when a source with TLS settings makes its first
 * request.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CodedError } from '../../../shared/errors';

export const tlsSettingsSchema = z
  .object({
    /** PEM file of the CA certificates this source's server certificates must chain to. */
    caFile: z.string().min(1).optional(),
    /** PEM client certificate (chain) and its key, for mutual TLS. */
    certFile: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
    /** The environment variable holding the key's passphrase (never the passphrase itself). */
    keyPassphraseEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]{0,63}$/)
      .optional(),
  })
  .refine((t) => (t.certFile === undefined) === (t.keyFile === undefined), {
    message: 'certFile and keyFile go together',
    path: ['keyFile'],
  });

export type TlsSettings = z.output<typeof tlsSettingsSchema>;

export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  passphrase?: string;
}

function readPem(file: string | undefined, setting: string): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file);
  } catch {
    throw new CodedError('FILE_UNREADABLE', { setting: `tls.${setting}` });
  }
}

export function readTlsMaterial(tls: TlsSettings, env: NodeJS.ProcessEnv = process.env): TlsMaterial {
  const passphrase = tls.keyPassphraseEnv ? env[tls.keyPassphraseEnv] : undefined;
  const ca = readPem(tls.caFile, 'caFile');
  const cert = readPem(tls.certFile, 'certFile');
  const key = readPem(tls.keyFile, 'keyFile');
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}), ...(passphrase ? { passphrase } : {}) };
}

/** A fetch that connects with this TLS material (undici's Agent), for the source's requests only. */
export function tlsFetch(material: TlsMaterial): typeof fetch {
  let ready: Promise<{ fetch: (url: string, init: object) => Promise<unknown>; dispatcher: unknown }> | undefined;
  const load = async () => {
    const undici = await import('undici');
    return { fetch: undici.fetch as never, dispatcher: new undici.Agent({ connect: { ...material } }) };
  };
  return (async (url: string | URL | Request, init?: RequestInit) => {
    const { fetch: undiciFetch, dispatcher } = await (ready ??= load());
    return undiciFetch(String(url), { ...init, dispatcher });
  }) as unknown as typeof fetch;
}

/** TLS failures told apart from an unreachable host, by the socket error's code. */
export function isTlsFailure(code: string | undefined): boolean {
  return (
    code !== undefined &&
    (/^(CERT_|ERR_TLS_|ERR_SSL_)/.test(code) ||
      ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'EPROTO', 'HOSTNAME_MISMATCH'].includes(code))
  );
}
