import { performance } from 'node:perf_hooks';
import { RESOURCES, checkResource, mutateResource } from '../fuzz/fhirShapes';
import { pick, prng } from '../fuzz/mutate';
const t0 = performance.now();
console.log('resources', RESOURCES.length, (performance.now()-t0).toFixed(0));
let bad = 0;
for (const { resource, patient } of RESOURCES) { const v = checkResource(resource, patient); if (v) { bad++; if (bad < 5) console.log('clean fails', resource.resourceType, v); } }
console.log('clean done', (performance.now()-t0).toFixed(0), 'bad', bad);
const fails = new Map<string, number>();
for (let s = 0; s < Number(process.argv[2] ?? 300); s++) {
  const rng = prng(s); if (process.env.TRACE && s % 1000 === 0) process.stderr.write(`${s}:${(process.memoryUsage().heapUsed/1048576).toFixed(0)}MB:${(performance.now()-t0).toFixed(0)}ms `);
  const { resource, patient } = pick(rng, RESOURCES);
  const m = mutateResource(rng, resource);
  const t = performance.now();
  const v = checkResource(m, patient);
  const dt = performance.now() - t;
  if (dt > 200) console.log('slow', s, resource.resourceType, dt.toFixed(0));
  if (v) { const k = `${resource.resourceType}: ${v.slice(0, 110)}`; fails.set(k, (fails.get(k) ?? 0) + 1); if (fails.get(k) === 1) console.log('seed', s, k); }
}
console.log('done', (performance.now()-t0).toFixed(0), [...fails.entries()].length);
