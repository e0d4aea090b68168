/**
 * A FHIR page is decoded as its chunks arrive and each chunk is let go
 * (ADR 0040): while the rest of a body is still on its way, the bytes already
 * read are not held (before, every chunk was kept to be joined into one
 * Buffer at the end: the page twice over, beside its text).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { getResource, type FhirHttp } from '../../../../../src/main/sources/fhir/fhirHttp';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('FHIR body reading', () => {
  it('holds no chunk it has decoded while the body is still arriving', async () => {
    let firstChunk: WeakRef<Uint8Array> | undefined;
    let askedForMore: () => void = () => undefined;
    const secondPull = new Promise<void>((resolve) => (askedForMore = resolve));
    let release: () => void = () => undefined;
    const rest = new Promise<void>((resolve) => (release = resolve));
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          pulls += 1;
          if (pulls === 1) {
            // About 1 MiB inside one JSON string; only a WeakRef to it is kept here.
            const chunk = new TextEncoder().encode(`{"resourceType":"Bundle","type":"searchset","entry":[],"id":"${'a'.repeat(1024 * 1024)}`);
            firstChunk = new WeakRef(chunk);
            controller.enqueue(chunk);
            return;
          }
          // The reader wants the next chunk: the first has been decoded.
          askedForMore();
          await rest;
          controller.enqueue(new TextEncoder().encode('"}'));
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const http: FhirHttp = { baseUrl: 'http://127.0.0.1:9', maxPages: 1, fetch: () => Promise.resolve(new Response(body, { status: 200 })) };
    const reading = getResource(http, 'http://127.0.0.1:9/Bundle', 'Bundle', new AbortController().signal);
    await secondPull;
    // Collected only if nothing holds it: a full GC, then one more once freed Buffers are swept.
    gc();
    await new Promise((r) => setTimeout(r, 20));
    gc();
    expect(firstChunk?.deref()).toBeUndefined();
    release();
    const bundle = await reading;
    expect(bundle.id).toHaveLength(1024 * 1024);
  });
});
