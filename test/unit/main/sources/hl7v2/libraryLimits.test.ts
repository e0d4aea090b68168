/**
 * Known limits of node-hl7-client 4.0.0, pinned so an upgrade that fixes one
 * fails here and the workaround (named in each test) can be reconsidered.
 */
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { join } from 'node:path';
import { Client, HL7_2_5, MLLPCodec, Message } from 'node-hl7-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHl7 } from '../../../../../src/main/sources/hl7v2/hl7Escape';
import { parseHl7Document } from '../../../../../src/main/sources/hl7v2/hl7Parse';

const TEXT = 'MSH|^~\\&|A|B|C|D|20260101||RSP^K11|C1|P|2.5\rPID|||FIRST^^^AUTH1~SECOND^^^AUTH2';

describe('node-hl7-client 4.0.0 limits (workarounds in src/main/sources/hl7v2)', () => {
  it('the builder does not escape delimiters in values (workaround: hl7Escape.ts)', () => {
    const built = new HL7_2_5().buildMSH({ msh_9_1: 'ADT', msh_9_2: 'A08', msh_10: 'X1', msh_11_1: 'P' } as never);
    built.buildPID({ pid_3: 'x|y^z', pid_5: 'DOE^JANE' } as never);
    const text = built.toString();
    expect(text).toContain('x|y^z'); // unescaped: the value now spans two fields
    const reparsed = new Message({ text });
    expect(reparsed.get('PID.3.1').toString()).not.toBe('x|y^z');
    // The workaround round-trips.
    const ours = new Message({ text: `MSH|^~\\&|A|B|C|D|2026||ADT^A08|X|P|2.5\rPID|||${escapeHl7('x|y^z')}` });
    expect(ours.get('PID.3.1').toString()).toBe('x|y^z');
  });

  it('PID.3[2] style paths silently answer from the first repetition (workaround: Hl7Segment.reps)', () => {
    const message = new Message({ text: TEXT });
    expect(message.get('PID.3[2]').toString()).toBe('FIRST');
    expect(message.get('PID.3.1').toString()).toBe('FIRST');
    const view = parseHl7Document(TEXT).entries[0]?.view;
    expect(view?.segments[1]?.get(3, 1, 1, 1)).toBe('SECOND');
  });

  it('the MLLP codec joins frames that arrive in one chunk into one text (workaround: split with Batch in mllpSession.ts)', () => {
    const codec = new MLLPCodec('latin1');
    const frame = (t: string) => `\u000b${t}\u001c\r`;
    codec.receiveData(Buffer.from(frame('MSH|^~\\&|A||||||ACK|1|P|2.5\rMSA|AA|X') + frame('MSH|^~\\&|B||||||ACK|2|P|2.5\rMSA|AA|Y'), 'latin1'));
    expect(codec.getLastMessage()?.match(/MSH\|/g)).toHaveLength(2);
  });

  describe('over a socket', () => {
    let server: net.Server;
    let port = 0;
    beforeAll(async () => {
      server = net.createServer((socket) => {
        socket.on('error', () => undefined);
        socket.on('data', () => {
          const reply = 'MSH|^~\\&|S|F|R|F|2026||ACK|R1|P|2.5|||||SWE|8859/1\rMSA|AA|Q1\rNTE|1||Åsa Ørnæs';
          socket.write(Buffer.concat([Buffer.from([0x0b]), Buffer.from(reply, 'latin1'), Buffer.from([0x1c, 0x0d])]));
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      port = (server.address() as net.AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise<void>((r) => server.close(() => r()));
    });

    it('replies are decoded as UTF-8 whatever `encoding` says (workaround: raw bytes + MSH-18 in mllpSession.ts)', async () => {
      const client = new Client({ host: '127.0.0.1', version: '2.5', connectionTimeout: 5_000 });
      const text = await new Promise<string>((resolve) => {
        const connection = client.createConnection({ port, encoding: 'latin1', version: '2.5' } as never, (res) => {
          resolve(res.getMessage().get('NTE.3').toString());
          void connection.close();
        });
        connection.once('connect', () => {
          void connection.sendMessage(new Message({ text: 'MSH|^~\\&|A|B|C|D|2026||QBP^Q11|Q1|P|2.5\rQPD|Z01|T|1' }));
        });
      });
      expect(text).not.toBe('Åsa Ørnæs');
      expect(text).toContain('\uFFFD');
    });

    it('with the default connectionTimeout 0 a refused connection is never reported (workaround: a non-zero timeout)', async () => {
      const closed = net.createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
      const deadPort = (closed.address() as net.AddressInfo).port;
      await new Promise<void>((r) => closed.close(() => r()));
      const events: string[] = [];
      const quiet = new Client({ host: '127.0.0.1', version: '2.5' }).createConnection({ port: deadPort } as never, () => undefined);
      quiet.on('client.error', () => events.push('quiet'));
      const loud = new Client({ host: '127.0.0.1', version: '2.5', connectionTimeout: 5_000 }).createConnection(
        { port: deadPort } as never,
        () => undefined,
      );
      await new Promise<void>((resolve) => loud.on('client.error', () => {
        events.push('loud');
        resolve();
      }));
      // Both attempts were refused at the same moment; only the one with a timeout said so.
      await new Promise((r) => setImmediate(r));
      await quiet.close();
      await loud.close();
      expect(events).toEqual(['loud']);
    });
  });

  it('with waitAck (the default) a second send before the first ACK starves the event loop (workaround: one in flight, waitAck false)', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'waitAckSpin.ts')], { timeout: 8_000, encoding: 'utf8' });
    // The child prints ALIVE from a 20 ms timer unless the library's re-queue loop never yields.
    expect(run.stdout).not.toContain('ALIVE');
    expect(run.signal ?? run.status).toBe('SIGTERM');
  });
});
