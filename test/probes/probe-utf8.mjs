/* global console, Buffer, URL */
import { startPreview, events, openAndWait } from './preview.mjs';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
const pid = { system: 'urn:oid:1.2.752.129.2.1.3.1', value: '191212121212' };
const bundle = (entries) => ({ resourceType: 'Bundle', type: 'searchset', total: entries.length, entry: entries.map((r) => ({ resource: r, search: { mode: 'match' } })) });
function server(bad) {
  const s = createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    const type = u.pathname.split('/').filter(Boolean).pop();
    let body;
    if (type === 'metadata') body = Buffer.from(JSON.stringify({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' }));
    else if (type === 'Patient') body = Buffer.from(JSON.stringify(bundle([{ resourceType: 'Patient', id: 'p1', identifier: [pid], birthDate: '1912-12-12', gender: 'male' }])));
    else if (type === 'AllergyIntolerance') {
      const j = JSON.stringify(bundle([{ resourceType: 'AllergyIntolerance', id: 'a1', patient: { reference: 'Patient/p1' }, code: { text: 'PENICILLIN_MARK' }, clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] } }]));
      body = Buffer.from(j);
      if (bad) { const at = body.indexOf('PENICILLIN_MARK'); body[at + 3] = 0xff; body[at + 4] = 0xfe; }
    } else body = Buffer.from(JSON.stringify(bundle([])));
    res.writeHead(200, { 'content-type': 'application/fhir+json' }); res.end(body);
  });
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r(s)));
}
const good = await server(false), bad = await server(true);
const D = '/tmp/samsyn-probes/u8'; rmSync(D, { recursive: true, force: true }); mkdirSync(D);
writeFileSync(D + '/cfg.json', JSON.stringify({ sources: [
  { id: 'good', name: 'Good', kind: 'fhir-r4', baseUrl: `http://127.0.0.1:${good.address().port}/fhir` },
  { id: 'bad', name: 'Bad', kind: 'fhir-r4', baseUrl: `http://127.0.0.1:${bad.address().port}/fhir` } ] }));
const p = await startPreview({ config: D + '/cfg.json', data: D }); const ev = events(p); await sleep(200);
await p.call('session.signIn', { userId: 'anna.nurse' });
const r = await openAndWait(p, ev, '19121212-1212');
const s = r.value;
console.log(JSON.stringify(s?.sources?.map((x) => [x.sourceId, x.state, x.error, x.itemCount, x.skipped])), JSON.stringify(r.error));
console.log('allergies', JSON.stringify(s?.sections?.allergies?.map((a) => JSON.stringify(a).match(/PEN[^"]*/)?.[0])));
await p.close(); ev.close(); good.close(); bad.close();
