/* global console */
import { startPreview, events, openAndWait, ROOT } from './preview.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileSync, mkdirSync, rmSync, chmodSync, chownSync } from 'node:fs';
import { execSync } from 'node:child_process';
const B = '/tmp/samsyn-probes/ro'; rmSync(B, { recursive: true, force: true });
for (const d of [B, B + '/data', B + '/drop', B + '/audit']) { mkdirSync(d); chownSync(d, 65534, 65534); }
const msg = (id, value) => `MSH|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916060000+0100||ORU^R01^ORU_R01|${id}|P|2.5\rPID|1||191212121212^^^1.2.752.129.2.1.3.1^NNSWE||Tolvansson^Tolvan||19121212|M\rOBR|1|P${id}|F${id}|718-7^Hb^LN|||20250901100000+0200||||||||||||||||||F\rOBX|1|NM|718-7^Hemoglobin^LN||${value}|g/L^g/L^UCUM|105-140|N|||F|||20250901100000+0200\r`;
writeFileSync(B + '/drop/a.hl7', msg('A1', 141)); chownSync(B + '/drop/a.hl7', 65534, 65534);
execSync(`touch -d '-1 min' ${B}/drop/a.hl7`);
writeFileSync(B + '/cfg.json', JSON.stringify({ audit: { dir: B + '/audit' }, sources: [{ id: 'lab-files', name: 'Lab files', kind: 'hl7v2-batch', folder: B + '/drop' }] }));
const st = (s) => !s ? 'NO VALUE' : JSON.stringify({ cache: s.cache, src: s.sources.map((x) => [x.sourceId, x.state, x.error, x.itemCount, x.notes, x.waiting]) });
let p = await startPreview({ config: B + '/cfg.json', data: B + '/data', user: 'nobody' }); let ev = events(p); await sleep(200);
await p.call('session.signIn', { userId: 'anna.nurse' });
let r = await openAndWait(p, ev, '19121212-1212'); console.log('fresh', st(r.value), JSON.stringify(r.error));
// read-only cache file and folder
chmodSync(B + '/data/cache.db', 0o444); chmodSync(B + '/data', 0o555);
r = await openAndWait(p, ev, '20170102-2384'); console.log('ro open new', st(r.value), JSON.stringify(r.error));
r = await openAndWait(p, ev, '19121212-1212'); console.log('ro open cached', st(r.value), JSON.stringify(r.error));
console.log('status', JSON.stringify(await p.call('cache.status')));
console.log('clear', JSON.stringify(await p.call('cache.clear')));
await p.close(); ev.close();
console.log('cli purge:', execSync(`setpriv --reuid=65534 --regid=65534 --clear-groups env SAMSYN_DATA_DIR=${B}/data node ${ROOT}/bin/samsyn.mjs cache purge --all 2>&1; echo exit=$?`, { encoding: 'utf8' }));
console.log('cli verify:', execSync(`setpriv --reuid=65534 --regid=65534 --clear-groups env SAMSYN_DATA_DIR=${B}/data node ${ROOT}/bin/samsyn.mjs cache verify 2>&1 | grep -v cache: ; echo exit=$?`, { encoding: 'utf8' }));
// restart: the start-up retention purge on a read-only cache
p = await startPreview({ config: B + '/cfg.json', data: B + '/data', user: 'nobody' }); ev = events(p); await sleep(200);
await p.call('session.signIn', { userId: 'anna.nurse' });
console.log('restart status', JSON.stringify(await p.call('cache.status')));
r = await openAndWait(p, ev, '19121212-1212'); console.log('restart open', st(r.value), JSON.stringify(r.error));
console.log('stderr', p.stderr().slice(0, 1500));
await p.close(); ev.close();
// read-only drop folder
chmodSync(B + '/data', 0o755); chmodSync(B + '/data/cache.db', 0o644);
writeFileSync(B + '/drop/b.hl7', msg('B1', 142)); execSync(`touch -d '-1 min' ${B}/drop/b.hl7`); chmodSync(B + '/drop', 0o555);
p = await startPreview({ config: B + '/cfg.json', data: B + '/data', user: 'nobody' }); ev = events(p); await sleep(200);
await p.call('session.signIn', { userId: 'anna.nurse' });
r = await openAndWait(p, ev, '19121212-1212'); console.log('ro drop folder', st(r.value), JSON.stringify(r.error));
await p.close(); ev.close();
