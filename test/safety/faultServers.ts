/**
 * FHIR servers on 127.0.0.1 (port 0) that fail in ways the FHIR sandbox does
 * not simulate: a port nobody listens on, an answer reset or cut off half-way,
 * a body that is not FHIR at all. Real sockets; nothing of ours is mocked.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type HttpFault = 'reset-mid-answer' | 'truncated' | 'garbage';

export interface FaultServer {
  url: string;
  close(): Promise<void>;
}

/** A port that was just free and now refuses connections (ECONNREFUSED). */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/fhir`;
}

/** The first half of a searchset Bundle: what a server sends before it dies. */
const HALF_BUNDLE = JSON.stringify({
  resourceType: 'Bundle',
  type: 'searchset',
  total: 1,
  entry: [{ resource: { resourceType: 'Patient', id: 'p1', identifier: [{ system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' }] } }],
}).slice(0, 60);

export async function startFaultServer(fault: HttpFault): Promise<FaultServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    req.resume();
    if (fault === 'garbage') {
      res.writeHead(200, { 'Content-Type': 'application/fhir+json' });
      res.end('GARBLED\u0000\u00ff <html>not json</html>');
      return;
    }
    // Announce a whole Bundle, send half of it, then reset (RST) or close (FIN).
    res.writeHead(200, { 'Content-Type': 'application/fhir+json', 'Content-Length': String(HALF_BUNDLE.length * 4) });
    res.write(HALF_BUNDLE);
    setTimeout(() => {
      if (fault === 'reset-mid-answer') req.socket.resetAndDestroy();
      else req.socket.end();
    }, 20);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket: Socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/fhir`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
