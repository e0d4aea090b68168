/* global process, console, URL, performance, fetch */
// The demo (preview fallback) with its sandboxes; one event client that never reads, N opens of the heavy patient.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from './preview.mjs';
const N = Number(process.argv[2] ?? 100);
const demo = spawn(process.execPath, ['--max-semi-space-size=4', `${ROOT}/build/demo/demo.js`], { cwd: ROOT, env: { ...process.env, SAMSYN_DATA_DIR: '/tmp/samsyn-probes/demo-data', DISPLAY: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
const url = await new Promise((resolve, reject) => {
  demo.stdout.on('data', (d) => { out += d; const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(out); if (m) resolve(m[1]); });
  demo.on('exit', (c) => reject(new Error(`demo exit ${c}`)));
});
const origin = new URL(url).origin, token = new URL(url).hash.slice(7);
const auth = { Authorization: `Bearer ${token}` };
const mem = () => { const s = readFileSync(`/proc/${demo.pid}/status`, 'utf8'); return { rss: Number(/VmRSS:\s+(\d+)/.exec(s)[1]) / 1024, hwm: Number(/VmHWM:\s+(\d+)/.exec(s)[1]) / 1024 }; };
const call = async (name, body = {}) => (await fetch(`${origin}/api/invoke/${name}`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json();
await call('session.signIn', { userId: 'anna.nurse' });
await call('summary.open', { patient: '19820421-2396', purpose: 'care' });
await sleep(5000);
const before = mem();
// The stalled client: subscribes, then never reads a byte.
const { port } = new URL(origin);
const sock = connect(Number(port), '127.0.0.1');
sock.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n\r\n`);
sock.pause();
let closedByServer = false; sock.on('close', () => (closedByServer = true)); sock.on('error', () => {});
const t0 = performance.now();
for (let i = 0; i < N; i++) { await call('summary.open', { patient: '19820421-2396', purpose: 'care' }); if (i % 10 === 9) await sleep(500); }
await sleep(8000);
const during = mem();
sock.destroy();
await sleep(8000);
const after = mem();
console.log(`demo pid ${demo.pid}: RSS before ${before.rss.toFixed(0)} MB, after ${N} heavy opens with a stalled client ${during.rss.toFixed(0)} MB (peak ${during.hwm.toFixed(0)} MB), after it disconnected ${after.rss.toFixed(0)} MB; stalled client dropped by the server: ${closedByServer}; ${Math.round(performance.now() - t0)} ms`);
demo.kill('SIGINT');
await sleep(2000);
process.exit(0);
