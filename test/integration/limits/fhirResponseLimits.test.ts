/**
 * FHIR responses are bounded and read strictly (issue 14): a body over the
 * byte limit (declared or streamed), a search with more entries than the
 * limit over its pages, and a body that is not UTF-8 are each a coded error,
 * against a real HTTP server on 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodedError } from '../../../src/shared/errors';
import { createFhirSource } from '../../../src/main/sources/fhir/fhirSource';
import type { SourceAdapter } from '../../../src/main/sources/types';

const PATIENT = { resourceType: 'Patient', id: 'p1', identifier: [{ system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' }] };
const query = { identifier: { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' } };

/** What the server answers on each path (first segment after the base). */
type Answer = (path: string, url: URL, res: import('node:http').ServerResponse) => void;
let answer: Answer = () => undefined;
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    answer(url.pathname.split('/')[2] ?? '', url, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function searchset(resources: unknown[], next?: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
      ...(next ? { link: [{ relation: 'next', url: next }] } : {}),
    }),
  );
}

function source(extra: { maxResponseBytes?: number; maxEntries?: number } = {}): SourceAdapter {
  return createFhirSource({ id: 'limits', name: 'Limits', baseUrl: base, timeoutMs: 10_000, ...extra });
}

async function failure(s: SourceAdapter): Promise<CodedError> {
  const err = await s.fetchPatient(query, new AbortController().signal).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CodedError);
  return err as CodedError;
}

describe('FHIR response limits', () => {
  it('refuses a body that declares more bytes than the limit, without reading it', async () => {
    answer = (_p, _u, res) => {
      const body = Buffer.alloc(200_000, 0x20);
      res.writeHead(200, { 'Content-Type': 'application/fhir+json', 'Content-Length': body.length }).end(body);
    };
    const err = await failure(source({ maxResponseBytes: 100_000 }));
    expect(err.code).toBe('SOURCE_RESPONSE_TOO_LARGE');
    expect(err.params).toEqual({ limit: 'bytes', expected: 100_000 });
  });

  it('stops reading a streamed body (no Content-Length) once it passes the limit', async () => {
    let written = 0;
    let stopped = false;
    answer = (_p, _u, res) => {
      res.writeHead(200, { 'Content-Type': 'application/fhir+json' });
      // An endless body: the reader must stop, not wait for the end.
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {
          written += chunk.length;
          if (written > 64 * 1024 * 1024) return void res.end();
        }
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => (stopped = true));
      pump();
    };
    const err = await failure(source({ maxResponseBytes: 1024 * 1024 }));
    expect(err.code).toBe('SOURCE_RESPONSE_TOO_LARGE');
    await expect.poll(() => stopped).toBe(true);
    // The server got far less than its 64 MiB through: the client stopped reading near the limit.
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });

  it('refuses a search with more entries than the limit over its pages', async () => {
    answer = (type, url, res) => {
      res.writeHead(200, { 'Content-Type': 'application/fhir+json' });
      if (type === 'Patient') return void res.end(searchset([PATIENT]));
      const page = Number(url.searchParams.get('page') ?? '0');
      const obs = Array.from({ length: 40 }, (_, i) => ({ resourceType: type, id: `${type}-${page}-${i}`, subject: { reference: 'Patient/p1' } }));
      res.end(searchset(obs, page < 5 ? `${base}/${type}?page=${page + 1}` : undefined));
    };
    const err = await failure(source({ maxEntries: 100 }));
    expect(err.code).toBe('SOURCE_RESPONSE_TOO_LARGE');
    expect(err.params).toEqual({ limit: 'entries', expected: 100 });
  });

  it('answers within the limits as before', async () => {
    answer = (type, _u, res) => {
      res.writeHead(200, { 'Content-Type': 'application/fhir+json' });
      res.end(type === 'Patient' ? searchset([PATIENT]) : searchset([]));
    };
    const result = await source({ maxEntries: 100, maxResponseBytes: 100_000 }).fetchPatient(query, new AbortController().signal);
    expect(result.subjects).toHaveLength(1);
  });

  it('refuses a body that is not UTF-8 instead of reading U+FFFD into a name', async () => {
    answer = (_p, _u, res) => {
      const json = searchset([{ ...PATIENT, name: [{ family: 'NAME_HERE' }] }]);
      const at = json.indexOf('NAME_HERE');
      json[at] = 0xff; // a byte that is never UTF-8
      json[at + 1] = 0xfe;
      res.writeHead(200, { 'Content-Type': 'application/fhir+json' }).end(json);
    };
    const err = await failure(source());
    expect(err.code).toBe('SOURCE_BAD_RESPONSE');
    expect(err.params).toEqual({ reason: 'not-utf8' });
    expect(err.message).not.toContain('NAME');
  });

  /** Writes the body in the given byte slices, each in its own socket write a moment apart (so each arrives as a chunk of its own). */
  function inSlices(body: Buffer, cuts: number[]): Answer {
    return (type, _u, res) => {
      res.writeHead(200, { 'Content-Type': 'application/fhir+json' });
      if (type !== 'Patient') return void res.end(searchset([]));
      const edges = [0, ...cuts, body.length];
      let n = 0;
      const next = () => {
        if (n === edges.length - 1) return void res.end();
        res.write(body.subarray(edges[n], edges[n + 1]));
        n += 1;
        setTimeout(next, 15);
      };
      next();
    };
  }

  it('reads characters split between chunks (two, three and four bytes) whole', async () => {
    const family = 'Åsa-Øyvind Ääkkönen \u20ac \u{1F600}';
    const json = searchset([{ ...PATIENT, name: [{ family }] }]);
    const emoji = json.indexOf(Buffer.from('\u{1F600}'));
    const euro = json.indexOf(Buffer.from('\u20ac'));
    const aring = json.indexOf(Buffer.from('Å'));
    // Every cut inside a character: after the first byte of Å, the first and second of €, the second and third of the emoji.
    answer = inSlices(json, [aring + 1, euro + 1, euro + 2, emoji + 2, emoji + 3]);
    const result = await source().fetchPatient(query, new AbortController().signal);
    expect(result.subjects).toHaveLength(1);
    expect(JSON.stringify(result)).toContain(family);
  });

  it('refuses a bad sequence split between chunks', async () => {
    const json = searchset([{ ...PATIENT, name: [{ family: 'NAME_HERE' }] }]);
    const at = json.indexOf('NAME_HERE');
    json[at] = 0xe2; // starts a three-byte character...
    json[at + 1] = 0x41; // ...that the next chunk does not continue
    answer = inSlices(json, [at + 1]);
    const err = await failure(source());
    expect(err.code).toBe('SOURCE_BAD_RESPONSE');
    expect(err.params).toEqual({ reason: 'not-utf8' });
    expect(err.message).not.toContain('NAME');
  });

  it('refuses a body whose last character is unfinished', async () => {
    const json = Buffer.concat([searchset([PATIENT]), Buffer.from([0xe2, 0x82])]);
    answer = inSlices(json, [json.length - 1]);
    const err = await failure(source());
    expect(err.code).toBe('SOURCE_BAD_RESPONSE');
    expect(err.params).toEqual({ reason: 'not-utf8' });
  });

  it('keeps an HTTP error an HTTP error when its body is not UTF-8', async () => {
    answer = (_p, _u, res) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(Buffer.from([0xff, 0xfe, 0x41]));
    };
    const err = await failure(source());
    expect(err.code).toBe('SOURCE_HTTP_ERROR');
    expect(err.params).toEqual({ status: 500 });
  });
});
