/* global process, console, performance */
import { startPreview, events, openAndWait, rssMb } from './preview.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileSync, mkdirSync, rmSync, copyFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
const file = process.argv[2], extra = JSON.parse(process.argv[3] ?? '{}'), patient = process.argv[4] ?? '19121212-1212';
const B = '/tmp/samsyn-probes/big2'; rmSync(B, { recursive: true, force: true }); mkdirSync(B); mkdirSync(B + '/drop');
writeFileSync(B + '/cfg.json', JSON.stringify({ sources: [{ id: 'lab-files', name: 'Lab files', kind: 'hl7v2-batch', folder: B + '/drop', ...extra }] }));
const p = await startPreview({ config: B + '/cfg.json', data: B + '/data' }); const ev = events(p); await sleep(300);
await p.call('session.signIn', { userId: 'anna.nurse' });
copyFileSync(file, B + '/drop/big.hl7'); execSync(`touch -d '-1 min' ${B}/drop/big.hl7`);
const t0 = performance.now(); let done = false; let maxInfo = 0, peakHwm = 0;
void (async () => {
  for (let i = 0; i < 8; i++) {
  await sleep(1000);
  const o = performance.now();
  const r = await openAndWait(p, ev, patient).catch((e) => ({ error: e.message }));
  const s = r.value;
  console.log(`open at ${Math.round(o - t0)} ms final after ${Math.round(performance.now() - o)} ms:`, JSON.stringify(s?.sources?.map((x) => [x.state, x.error, x.itemCount, x.limit, x.notes])), JSON.stringify(r.error ?? ''), `hwm ${(await rssMb(p.pid).catch(() => ({ hwm: -1 }))).hwm.toFixed(0)} MB`);
  if (s?.sources?.[0]?.state !== 'timeout' && s?.sources?.[0]?.state !== 'pending') break;
  await sleep(15000);
  }
  done = true;
})();
while (!done && performance.now() - t0 < Number(process.env.LIMIT_MS ?? 150000) && p.child.exitCode === null) {
  const r = await Promise.race([p.call('app.info'), sleep(200000).then(() => ({ ms: 200000 }))]).catch(() => ({ ms: -1 }));
  maxInfo = Math.max(maxInfo, r.ms);
  peakHwm = (await rssMb(p.pid).catch(() => ({ hwm: peakHwm }))).hwm;
  await sleep(1000);
}
console.log(`alive=${p.child.exitCode === null} app.info max ${maxInfo} ms, peak RSS ${peakHwm.toFixed(0)} MB, ${Math.round(performance.now() - t0)} ms`);
console.log('log (codes only):', p.stderr().split('\n').filter((l) => /"level":(4|5)0/.test(l)).slice(-6).join('\n'));
await p.close(); ev.close(); process.exit(0);
