/* global process, URL, performance, fetch, TextDecoder, AbortController, setTimeout */
// Starts the built preview on a config + data dir, signs in, offers helpers.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';

/** Where the probes keep their folders, configurations and data. */
export const PROBE_DIR = '/tmp/samsyn-probes';
mkdirSync(PROBE_DIR, { recursive: true });
/** The repository this probe runs against (its built preview and CLI). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export async function startPreview({ config, data, env = {}, user }) {
  const pre = user ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath]] : [process.execPath, []];
  const child = spawn(pre[0], [...pre[1], '--max-semi-space-size=4', `${ROOT}/build/demo/previewMain.js`, '--config', config, '--data', data, '--print-url'], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const lines = createInterface({ input: child.stdout });
  const got = [];
  const url = await new Promise((resolve, reject) => {
    lines.on('line', (l) => { got.push(l); if (got.length === 2) resolve(got[1]); });
    child.on('exit', (c) => reject(new Error(`exit ${c} ${stderr}`)));
  });
  const origin = new URL(url).origin;
  const token = new URL(url).hash.slice('#token='.length);
  const auth = { Authorization: `Bearer ${token}` };
  async function call(name, body = {}) {
    const t = performance.now();
    const res = await fetch(`${origin}/api/invoke/${name}`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const j = await res.json();
    j.ms = Math.round(performance.now() - t);
    return j;
  }
  return { child, origin, token, auth, call, stderr: () => stderr, pid: child.pid,
    close: () => new Promise((r) => { child.on('exit', r); child.kill('SIGTERM'); }) };
}
export async function rssMb(pid) {
  const { readFileSync } = await import('node:fs');
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rss: Number(/VmRSS:\s+(\d+)/.exec(s)[1]) / 1024, hwm: Number(/VmHWM:\s+(\d+)/.exec(s)[1]) / 1024 };
}
export async function openFinal(p, patient) {
  await p.call('session.signIn', { userId: 'anna.nurse' });
  const first = await p.call('summary.open', { patient, purpose: 'care' });
  return first;
}
// SSE: collects finals by openId
export function events(p) {
  const finals = new Map(); const waiters = new Map(); let all = 0;
  const ctl = new AbortController();
  (async () => {
    const res = await fetch(`${p.origin}/api/events${process.env.PARTS ? "?parts=1" : ""}`, { headers: p.auth, signal: ctl.signal });
    const dec = new TextDecoder(); let buf = '';
    for await (const chunk of res.body) {
      buf += dec.decode(chunk, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i); buf = buf.slice(i + 2);
        const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
        if (!data) continue; all++;
        let ev; try { ev = JSON.parse(data); } catch { continue; }
        const payload = ev.payload ?? ev;
        const s = payload.summary ?? payload.unchanged ?? payload.data?.summary;
        const prog = s?.progress;
        if (prog?.final) { finals.set(prog.openId, s); waiters.get(prog.openId)?.(s); }
      }
    }
  })().catch(() => {});
  return { finals, close: () => ctl.abort(), count: () => all,
    final: (openId, ms = Number(process.env.FINAL_MS ?? 60000)) => finals.get(openId) ? Promise.resolve(finals.get(openId)) : new Promise((res, rej) => { waiters.set(openId, res); setTimeout(() => rej(new Error('no final')), ms); }) };
}
export async function openAndWait(p, ev, patient) {
  const a = await p.call('summary.open', { patient, purpose: 'care' });
  if (!a.ok) return a;
  if (a.value.progress.final) return { ok: true, value: a.value };
  const f = await ev.final(a.value.progress.openId);
  return { ok: true, value: f.sections ? f : { ...a.value, ...f, unchangedFinal: true } };
}
