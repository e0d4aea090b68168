/* global process, console, performance */
import { startPreview, events, openAndWait, rssMb } from './preview.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileSync, mkdirSync, rmSync, readdirSync, copyFileSync, existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
const file = process.argv[2], extra = process.argv[3] ? JSON.parse(process.argv[3]) : {};
const B = '/tmp/samsyn-probes/big'; rmSync(B, { recursive: true, force: true }); mkdirSync(B); mkdirSync(B + '/drop');
writeFileSync(B + '/cfg.json', JSON.stringify({ sources: [{ id: 'lab-files', name: 'Lab files', kind: 'hl7v2-batch', folder: B + '/drop', ...extra }] }));
const st = (s) => !s ? 'NO VALUE' : JSON.stringify(s.sources.map((x) => [x.sourceId, x.state, x.error, x.itemCount, x.notes, x.waiting]));
async function run(label) {
  const p = await startPreview({ config: B + '/cfg.json', data: B + '/data' }); const ev = events(p); await sleep(300);
  await p.call('session.signIn', { userId: 'anna.nurse' });
  const base = await rssMb(p.pid);
  let maxMs = 0, calls = 0, failed = 0; let stop = false;
  const poll = (async () => { while (!stop) { try { const r = await p.call('app.info'); maxMs = Math.max(maxMs, r.ms); calls++; } catch { failed++; } await sleep(100); } })();
  const t0 = performance.now();
  const opens = [];
  for (let i = 0; i < 6 && p.child.exitCode === null; i++) {
    const o = performance.now();
    const r = await openAndWait(p, ev, '19121212-1212').catch((e) => ({ error: e.message }));
    opens.push(`${Math.round(performance.now() - o)}ms ${st(r.value)} ${JSON.stringify(r.error ?? '')}`.slice(0, 300));
    await sleep(2000);
  }
  stop = true; await poll;
  const m = p.child.exitCode === null ? await rssMb(p.pid) : { rss: -1, hwm: -1 };
  console.log(label, `alive=${p.child.exitCode === null} base rss ${base.rss.toFixed(0)} MB, peak ${m.hwm.toFixed(0)} MB; app.info max ${maxMs} ms over ${calls} calls, ${failed} failed; ${Math.round(performance.now() - t0)} ms`);
  for (const o of opens) console.log('  open', o);
  await p.close(); ev.close();
}
await run('start (empty)');
copyFileSync(file, B + '/drop/big.hl7'); execSync(`touch -d '-1 min' ${B}/drop/big.hl7`);
await run('dropped');
console.log('folder', readdirSync(B + '/drop'), existsSync(B + '/drop/quarantine') ? readdirSync(B + '/drop/quarantine') : '');
await run('restart');
