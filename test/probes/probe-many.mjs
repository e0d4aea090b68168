/* global process, console, performance */
import { startPreview, events, rssMb } from './preview.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileSync, mkdirSync, rmSync, copyFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
const B = '/tmp/samsyn-probes/many'; rmSync(B, { recursive: true, force: true }); mkdirSync(B); mkdirSync(B + '/drop');
writeFileSync(B + '/cfg.json', JSON.stringify({ sources: [{ id: 'lab-files', name: 'Lab files', kind: 'hl7v2-batch', folder: B + '/drop', timeoutMs: 60000 }] }));
// Five batches of 6 MiB (node gen.mjs m1.hl7 6 ...; message ids made distinct per file: sed 's/|M-/|M1-/g').
for (let i = 1; i <= 5; i++) copyFileSync(`/tmp/samsyn-probes/m${i}.hl7`, `${B}/drop/m${i}.hl7`);
execSync(`touch -d '-1 min' ${B}/drop/*.hl7`);
const p = await startPreview({ config: B + '/cfg.json', data: B + '/data' }); const ev = events(p); await sleep(300);
await p.call('session.signIn', { userId: 'anna.nurse' });
for (let i = 0; i < 4; i++) {
  await sleep(4000);
  const o = performance.now();
  const a = await p.call('summary.open', { patient: '19121212-1212', purpose: 'care' });
  const first = JSON.stringify(a).length;
  if (first < 200) console.log('answer', JSON.stringify(a));
  const f = a.ok && !a.value.progress.final ? await ev.final(a.value.progress.openId).catch((e) => ({ error: e.message })) : a.value;
  console.log(`open ${i}: first answer ${first} bytes; final after ${Math.round(performance.now() - o)} ms:`, f?.error ?? JSON.stringify(f?.sources?.map((x) => [x.state, x.error, x.itemCount])), `final ${JSON.stringify(f ?? {}).length} bytes, hwm ${(await rssMb(p.pid)).hwm.toFixed(0)} MB, events seen ${ev.count()}`);
}
console.log('log:', p.stderr().split('\n').filter((l) => /"level":(4|5)0/.test(l)).slice(-4).join('\n'));
await p.close(); ev.close(); process.exit(0);
