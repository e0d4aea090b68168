/** Child process for libraryLimits.test.ts: two sends before an ACK with waitAck: true (the default). */
import net from 'node:net';
import { Client, Message } from 'node-hl7-client';

const server = net.createServer((socket) => socket.on('data', () => undefined));
server.listen(0, '127.0.0.1', () => {
  const client = new Client({ host: '127.0.0.1', version: '2.5' });
  const connection = client.createConnection({ port: (server.address() as net.AddressInfo).port, version: '2.5' } as never, () => undefined);
  connection.on('connect', async () => {
    const make = (id: string) => new Message({ text: `MSH|^~\\&|A|B|C|D|2026||QBP^Q11|${id}|P|2.5\rQPD|Z01|T|1` });
    await connection.sendMessage(make('1'));
    setTimeout(() => {
      process.stdout.write('ALIVE\n');
      process.exit(0);
    }, 20);
    void connection.sendMessage(make('2'));
  });
});
