/* global process, console, Buffer */
import { startPreview, events, openAndWait, ROOT } from './preview.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileSync, mkdirSync, rmSync, readdirSync, copyFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
const M = '/tmp/samsyn-probes/mnt', DATA = M + '/data';
const sh = (c) => { try { return execSync(c, { encoding: 'utf8' }); } catch (e) { return 'ERR ' + e.status + ' ' + e.stderr + e.stdout; } };
const cfg = process.env.CFG ?? '/tmp/samsyn-probes/cfg-folder.json'; // lab-files on /tmp/samsyn-probes/fdrop (4 items for Tolvan), lab-two
const st = (s) => !s ? "NO VALUE" : JSON.stringify({ cache: s.cache, src: s.sources.map((x) => [x.sourceId, x.state, x.error, x.itemCount]) });
const step = process.argv[2];
sh(`umount ${M} 2>/dev/null; mount -t tmpfs -o size=3m tmpfs ${M}`); mkdirSync(DATA);
// a cache with one patient
let p = await startPreview({ config: cfg, data: DATA }); let ev = events(p); await sleep(200);
await p.call('session.signIn', { userId: 'anna.nurse' });
let s = (await openAndWait(p, ev, '19121212-1212')).value; console.log('fresh', st(s));
console.log('status', JSON.stringify((await p.call('cache.status')).value));
if (step === 'full') {
  // fill the disk, then open two new patients and the old one
  sh(`dd if=/dev/zero of=${M}/fill bs=4k count=100000 2>/dev/null`); console.log(sh(`df -k ${M} | tail -1`));
  for (const pt of ['20170102-2384', '19121212-1212']) { const r = await openAndWait(p, ev, pt); s = r.value; console.log('disk full open', st(s), JSON.stringify(r.error)); }
  console.log('status', JSON.stringify(await p.call('cache.status')));
  console.log('clear', JSON.stringify(await p.call('cache.clear')));
  rmSync(M + '/fill');
  s = (await openAndWait(p, ev, '20170102-2384')).value; console.log('after free', st(s));
}
if (step === 'ro') {
  sh(`mount -o remount,ro ${M}`);
  s = (await openAndWait(p, ev, '20170102-2384')).value; console.log('ro open new', st(s));
  s = (await openAndWait(p, ev, '19121212-1212')).value; console.log('ro open cached', st(s));
  console.log('status', JSON.stringify(await p.call('cache.status')));
  console.log('clear', JSON.stringify(await p.call('cache.clear')));
  await p.close(); ev.close();
  console.log('cli purge ro:', sh(`SAMSYN_DATA_DIR=${DATA} node ${ROOT}/bin/samsyn.mjs cache purge --all 2>&1; echo exit=$?`));
  // restart on ro folder: retention purge at start
  p = await startPreview({ config: cfg, data: DATA }); ev = events(p); await sleep(200);
  await p.call('session.signIn', { userId: 'anna.nurse' });
  console.log('restart ro status', JSON.stringify(await p.call('cache.status')));
  s = (await openAndWait(p, ev, '19121212-1212')).value; console.log('restart ro open', st(s));
  sh(`mount -o remount,rw ${M}`);
}
if (step === 'aside') {
  await p.close(); ev.close();
  // wrong key: the cache is moved aside
  copyFileSync(DATA + '/cache.key', '/tmp/samsyn-probes/oldkey'); rmSync(DATA + '/cache.key');
  writeFileSync(DATA + '/cache.key', Buffer.alloc(32, 7).toString('hex'), { mode: 0o600 });
  p = await startPreview({ config: cfg, data: DATA }); ev = events(p); await sleep(200);
  await p.call('session.signIn', { userId: 'anna.nurse' });
  console.log('files', readdirSync(DATA));
  console.log('status', JSON.stringify(await p.call('cache.status')));
  { const r = await openAndWait(p, ev, '19121212-1212'); s = r.value; console.log('open', st(s), JSON.stringify(r.error)); }
  console.log('clear', JSON.stringify(await p.call('cache.clear')));
  console.log('files after clear', readdirSync(DATA));
  await p.close(); ev.close();
  // empty cache.db
  writeFileSync(DATA + '/cache.db', '');
  p = await startPreview({ config: cfg, data: DATA }); ev = events(p); await sleep(200);
  await p.call('session.signIn', { userId: 'anna.nurse' });
  console.log('empty: files', readdirSync(DATA), 'status', JSON.stringify((await p.call('cache.status'))));
}
await p.close(); ev.close();
sh(`umount ${M}`);
