import { performance } from 'node:perf_hooks';
import { parseHl7Document } from '../../src/main/sources/hl7v2/hl7Parse';
import { mapHl7Message } from '../../src/main/sources/hl7v2/hl7Map';
for (const n of [15_000, 30_000, 60_000]) {
  const lines = ['MSH|^~\\&|LAB|LAB|SAMSYN|SAMSYN|20260916||ORU^R01|M1|P|2.5', 'PID|1||191212121212^^^1.2.752.129.2.1.3.1^NNSWE||Tolvansson^Tolvan', 'OBR|1|P|F|24326-1^E^LN|||20260915'];
  for (let i = 1; i < n; i++) lines.push(`OBX|${i}|NM|2823-3^Kalium^LN||4|mmol/L|||||F|||20260915090000`);
  const text = lines.join('\r');
  let t = performance.now();
  const doc = parseHl7Document(text);
  const view = doc.entries[0]!.view!;
  const parse = performance.now() - t;
  t = performance.now();
  const m = mapHl7Message(view, { sourceId: 'a', sourceName: 'A', fetchedAt: '2026-11-30T08:00:00Z', recordPrefix: '' });
  console.log(n, 'parse', parse.toFixed(0), 'map', (performance.now() - t).toFixed(0), m.items.length);
}
