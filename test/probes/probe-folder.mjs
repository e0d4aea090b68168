/* global console */
import { startPreview, events, openAndWait } from './preview.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileSync, appendFileSync, mkdirSync, rmSync, symlinkSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
const D = '/tmp/samsyn-probes/fdrop', DATA = '/tmp/samsyn-probes/fdata';
rmSync(D, { recursive: true, force: true }); rmSync(DATA, { recursive: true, force: true }); mkdirSync(D); mkdirSync(DATA);
writeFileSync('/tmp/samsyn-probes/cfg-folder.json', JSON.stringify({ sources: [
  { id: 'lab-files', name: 'Lab files', kind: 'hl7v2-batch', folder: D },
  { id: 'lab-two', name: 'Lab two', kind: 'hl7v2-batch', folder: D + '2' } ] }));
rmSync(D + '2', { recursive: true, force: true }); mkdirSync(D + '2');
const msg = (id, value, day) => `MSH|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916060000+0100||ORU^R01^ORU_R01|${id}|P|2.5\rPID|1||191212121212^^^1.2.752.129.2.1.3.1^NNSWE||Tolvansson^Tolvan||19121212|M\rOBR|1|P${id}|F${id}|718-7^Hb^LN|||202509${day}100000+0200||||||||||||||||||F\rOBX|1|NM|718-7^Hemoglobin^LN||${value}|g/L^g/L^UCUM|105-140|N|||F|||202509${day}100000+0200\r`;
const head = 'FHS|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916060000+0100\rBHS|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916060000+0100\r';
// second folder: one good file, imported at start
writeFileSync(D + '2/good.hl7', msg('G1', 131, '01'));
const results = (s) => (s.sections.results ?? []).map((i) => JSON.stringify(i).match(/"value":(\d+)/)?.[1]).join(',');
const status = (s) => JSON.stringify(s.sources.map((x) => ({ id: x.sourceId, state: x.state, error: x.error, n: x.itemCount, notes: x.notes, waiting: x.waiting })));
let p = await startPreview({ config: '/tmp/samsyn-probes/cfg-folder.json', data: DATA });
let ev = events(p); await sleep(300);
await p.call('session.signIn', { userId: 'anna.nurse' });
// P7 half-written batch: head + 2 messages, pause 6 s (> settle 2 s), then the rest
writeFileSync(D + '/slow.hl7', head + msg('S1', 101, '02') + msg('S2', 102, '03'));
await sleep(6000);
let s = (await openAndWait(p, ev, '19121212-1212')).value;
console.log('P7 during pause:', status(s), 'results', results(s));
appendFileSync(D + '/slow.hl7', msg('S3', 103, '04') + 'BTS|3\rFTS|1\r');
await sleep(4000);
s = (await openAndWait(p, ev, '19121212-1212')).value;
console.log('P7 after finish:', status(s), 'results', results(s));
// P7b restart with a half-written batch in the folder
writeFileSync(D + '/half.hl7', head + msg('H1', 111, '05'));
await sleep(3000);
await p.close(); ev.close();
p = await startPreview({ config: '/tmp/samsyn-probes/cfg-folder.json', data: DATA }); ev = events(p); await sleep(300);
await p.call('session.signIn', { userId: 'anna.nurse' });
await sleep(3000);
s = (await openAndWait(p, ev, '19121212-1212')).value;
console.log('P7b after restart, half file:', status(s), 'results', results(s));
console.log('P7b folder:', readdirSync(D), existsSync(D + '/quarantine') ? readdirSync(D + '/quarantine') : '');
// P8 dangling symlink, a directory, a FIFO, P9 symlink outside
symlinkSync('/nonexistent/x.hl7', D + '/dangling.hl7');
mkdirSync(D + '/adir.hl7');
execFileSync('mkfifo', [D + '/fifo.hl7']);
writeFileSync('/tmp/samsyn-probes/outside.hl7', msg('OUT', 177, '09'));
symlinkSync('/tmp/samsyn-probes/outside.hl7', D + '/link-out.hl7');
writeFileSync(D + '/new-good.hl7', msg('N1', 121, '06'));
await sleep(5000);
s = (await openAndWait(p, ev, '19121212-1212')).value;
console.log('P8/P9:', status(s), 'results', results(s), '(177 = outside file followed)');
console.log('P8 folder:', readdirSync(D), existsSync(D + '/quarantine') ? readdirSync(D + '/quarantine') : '');
const qs = existsSync(D + '/quarantine') ? readdirSync(D + '/quarantine').filter((n) => n.endsWith('.reason.json')) : [];
for (const q of qs) console.log('  reason', q, readFileSync(D + '/quarantine/' + q, 'utf8').slice(0, 200));
const st = await p.call('cache.status'); console.log('cache.status', JSON.stringify(st).slice(0, 300));
console.log('alive', p.child.exitCode === null, 'stderr lines', p.stderr().split('\n').length);
await p.close(); ev.close();
