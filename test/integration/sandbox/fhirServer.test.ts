import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxPatient, SANDBOX_PATIENTS, type SandboxPatient } from '../../../src/main/sandbox/fhirData';
import { startDemoSandbox, startFhirSandbox, type DemoSandbox, type FhirSandbox } from '../../../src/main/sandbox/fhirServer';

interface Coding {
  system?: string;
  code?: string;
}
interface Resource {
  resourceType: string;
  id: string;
  [field: string]: unknown;
}
interface Bundle extends Resource {
  type: string;
  total: number;
  link: { relation: string; url: string }[];
  entry?: { fullUrl: string; resource: Resource; search: { mode: string } }[];
}

async function getJson<T = Resource>(url: string, init?: RequestInit): Promise<{ status: number; type: string | null; body: T }> {
  const res = await fetch(url, init);
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as T };
}

function token(p: SandboxPatient): string {
  return encodeURIComponent(`${p.identifier.system}|${p.identifier.value}`);
}

async function patientId(sandbox: FhirSandbox, p: SandboxPatient): Promise<string> {
  const { body } = await getJson<Bundle>(`${sandbox.url}/Patient?identifier=${token(p)}`);
  const id = body.entry?.[0]?.resource.id;
  if (!id) throw new Error(`patient ${p.key} not found in ${sandbox.region}`);
  return id;
}

function identifierValues(resource: Resource): string[] {
  return ((resource.identifier ?? []) as { value?: string }[]).map((i) => i.value ?? '');
}

/** Polls until the server has seen `count` requests, so an abort lands on a request it is holding. */
async function untilRequests(sandbox: FhirSandbox, count: number): Promise<void> {
  while (sandbox.requestCount() < count) await new Promise((resolve) => setTimeout(resolve, 5));
}

function nextLink(bundle: Bundle): string | undefined {
  return bundle.link.find((l) => l.relation === 'next')?.url;
}

const tolvan = sandboxPatient('tolvan');
const heavy = sandboxPatient('heavy');

describe('FHIR sandbox', () => {
  let demo: DemoSandbox;
  let nord: FhirSandbox;
  let syd: FhirSandbox;

  beforeAll(async () => {
    demo = await startDemoSandbox();
    const byRegion = new Map(demo.regions.map((r) => [r.region, r]));
    nord = byRegion.get('nord')!;
    syd = byRegion.get('syd')!;
  });

  afterAll(async () => {
    await demo.close();
  });

  it('starts both regions on distinct loopback ports', () => {
    expect(demo.regions.map((r) => r.name).sort()).toEqual(['Region Nord', 'Region Syd']);
    expect(nord.port).not.toBe(syd.port);
    expect(nord.url).toBe(`http://127.0.0.1:${nord.port}/fhir`);
  });

  it('serves a CapabilityStatement listing the supported resources and search params', async () => {
    const { status, type, body } = await getJson(`${nord.url}/metadata`);
    expect(status).toBe(200);
    expect(type).toBe('application/fhir+json; charset=utf-8');
    expect(body.resourceType).toBe('CapabilityStatement');
    expect(body.fhirVersion).toBe('4.0.1');
    const resources = (body.rest as { resource: { type: string; searchParam: { name: string }[] }[] }[])[0]!.resource;
    const types = resources.map((r) => r.type);
    for (const t of ['Patient', 'AllergyIntolerance', 'MedicationStatement', 'MedicationRequest', 'Condition', 'Observation',
      'Immunization', 'Encounter', 'Procedure', 'DocumentReference', 'CarePlan', 'Flag']) {
      expect(types).toContain(t);
    }
    expect(resources.find((r) => r.type === 'Patient')!.searchParam.map((p) => p.name)).toContain('identifier');
    expect(resources.find((r) => r.type === 'Observation')!.searchParam.map((p) => p.name)).toEqual(
      expect.arrayContaining(['patient', 'subject', 'category', '_count']),
    );
  });

  it('finds a patient by system|value and by bare value, and answers a miss with an empty searchset', async () => {
    const hit = await getJson<Bundle>(`${nord.url}/Patient?identifier=${token(tolvan)}`);
    expect(hit.status).toBe(200);
    expect(hit.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    const entry = hit.body.entry![0]!;
    expect(entry.search.mode).toBe('match');
    expect(entry.fullUrl).toBe(`${nord.url}/Patient/${entry.resource.id}`);
    expect(identifierValues(entry.resource)).toContain(tolvan.identifier.value);
    expect(hit.body.link.find((l) => l.relation === 'self')?.url).toContain(`${nord.url}/Patient?`);

    const bare = await getJson<Bundle>(`${nord.url}/Patient?identifier=${tolvan.identifier.value}`);
    expect(bare.body.entry?.[0]?.resource.id).toBe(entry.resource.id);

    const otherSystem = await getJson<Bundle>(
      `${nord.url}/Patient?identifier=${encodeURIComponent(`urn:oid:1.2.246.21|${tolvan.identifier.value}`)}`,
    );
    expect(otherSystem.body.total).toBe(0);

    const miss = await getJson<Bundle>(`${syd.url}/Patient?identifier=${token(heavy)}`);
    expect(miss.status).toBe(200);
    expect(miss.body.total).toBe(0);
    expect(miss.body.entry ?? []).toEqual([]);

    const read = await getJson(`${nord.url}/Patient/${entry.resource.id}`);
    expect(read.status).toBe(200);
    expect(identifierValues(read.body)).toContain(tolvan.identifier.value);
  });

  it('holds each SANDBOX_PATIENTS entry in exactly the regions it names', async () => {
    for (const p of SANDBOX_PATIENTS) {
      for (const sandbox of [nord, syd]) {
        const { body } = await getJson<Bundle>(`${sandbox.url}/Patient?identifier=${token(p)}`);
        expect(body.total, `${p.key} in ${sandbox.region}`).toBe(p.regions.includes(sandbox.region) ? 1 : 0);
      }
    }
  });

  it('searches a resource type by patient in every accepted reference form', async () => {
    const id = await patientId(nord, tolvan);
    const forms = [`patient=${id}`, `patient=Patient/${id}`, `subject=Patient/${id}`, `subject=${encodeURIComponent(`${nord.url}/Patient/${id}`)}`];
    const totals: number[] = [];
    for (const q of forms) {
      const { status, type, body } = await getJson<Bundle>(`${nord.url}/Condition?${q}`);
      expect(status).toBe(200);
      expect(type).toBe('application/fhir+json; charset=utf-8');
      totals.push(body.total);
      for (const e of body.entry ?? []) {
        expect(e.resource.resourceType).toBe('Condition');
        expect(e.resource.subject).toEqual({ reference: `Patient/${id}` });
        expect((e.resource.meta as { lastUpdated?: string }).lastUpdated).toBeTruthy();
      }
    }
    expect(totals[0]).toBeGreaterThan(0);
    expect(new Set(totals).size).toBe(1);
  });

  it('filters Observations by category, with a comma meaning OR', async () => {
    const id = await patientId(nord, tolvan);
    const total = async (q: string) => (await getJson<Bundle>(`${nord.url}/Observation?patient=${id}${q}`)).body.total;
    const all = await total('');
    const lab = await total('&category=laboratory');
    const vital = await total('&category=vital-signs');
    const both = await total('&category=laboratory,vital-signs');
    const withSystem = await total(`&category=${encodeURIComponent('http://terminology.hl7.org/CodeSystem/observation-category|laboratory')}`);
    expect(lab).toBeGreaterThan(0);
    expect(vital).toBeGreaterThan(0);
    expect(both).toBe(lab + vital);
    expect(all).toBe(both);
    expect(withSystem).toBe(lab);
  });

  it('pages through every laboratory Observation of the heavy patient by following next links', async () => {
    const id = await patientId(nord, heavy);
    let url: string | undefined = `${nord.url}/Observation?patient=${id}&category=laboratory&_count=200`;
    const ids: string[] = [];
    let total = -1;
    let pages = 0;
    while (url) {
      const res: { status: number; body: Bundle } = await getJson<Bundle>(url);
      expect(res.status).toBe(200);
      total = res.body.total;
      const entries = res.body.entry ?? [];
      expect(entries.length).toBeLessThanOrEqual(200);
      for (const e of entries) {
        expect(e.search.mode).toBe('match');
        const categories = e.resource.category as { coding: Coding[] }[];
        expect(categories.flatMap((c) => c.coding.map((x) => x.code))).toContain('laboratory');
        ids.push(e.resource.id);
      }
      url = nextLink(res.body);
      pages++;
      expect(pages).toBeLessThan(100);
    }
    expect(total).toBeGreaterThanOrEqual(2000);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 200));
  });

  it('uses the default page size, caps _count at 500 and rejects a malformed _count', async () => {
    const id = await patientId(nord, heavy);
    const first = await getJson<Bundle>(`${nord.url}/Observation?patient=${id}`);
    expect(first.body.entry).toHaveLength(50);
    expect(nextLink(first.body)).toContain('_getpagesoffset=50');

    const capped = await getJson<Bundle>(`${nord.url}/Observation?patient=${id}&_count=5000`);
    expect(capped.body.entry).toHaveLength(500);

    const bad = await getJson(`${nord.url}/Observation?patient=${id}&_count=abc`);
    expect(bad.status).toBe(400);
    expect(bad.body.resourceType).toBe('OperationOutcome');
  });

  it('answers unknown types with 404 and bad parameters with 400, both as OperationOutcome', async () => {
    const unknown = await getJson(`${nord.url}/Spaceship?patient=x`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.resourceType).toBe('OperationOutcome');

    const noPatient = await getJson(`${nord.url}/Condition`);
    expect(noPatient.status).toBe(400);
    expect(noPatient.body.resourceType).toBe('OperationOutcome');

    const noIdentifier = await getJson(`${nord.url}/Patient`);
    expect(noIdentifier.status).toBe(400);

    const badRef = await getJson(`${nord.url}/Condition?subject=Practitioner/abc`);
    expect(badRef.status).toBe(400);

    const notFound = await getJson(`${nord.url}/Patient/does-not-exist`);
    expect(notFound.status).toBe(404);
    expect(notFound.body.resourceType).toBe('OperationOutcome');

    const id = await patientId(nord, tolvan);
    const lenient = await getJson<Bundle>(`${nord.url}/Condition?patient=${id}&_elements=code`);
    expect(lenient.status).toBe(200);
    expect(lenient.body.link.find((l) => l.relation === 'self')?.url).not.toContain('_elements');
    const strict = await getJson(`${nord.url}/Condition?patient=${id}&_elements=code`, {
      headers: { Prefer: 'handling=strict' },
    });
    expect(strict.status).toBe(400);
    expect(strict.body.resourceType).toBe('OperationOutcome');
  });

  it('records the overlap: the same allergy and medication coding in both regions under different ids', async () => {
    const codingsOf = async (sandbox: FhirSandbox, type: string, field: string, code: string) => {
      const id = await patientId(sandbox, tolvan);
      const { body } = await getJson<Bundle>(`${sandbox.url}/${type}?patient=${id}`);
      return (body.entry ?? [])
        .map((e) => e.resource)
        .filter((r) => ((r[field] as { coding?: Coding[] } | undefined)?.coding ?? []).some((c) => c.code === code));
    };
    for (const [type, field, code] of [
      ['AllergyIntolerance', 'code', '764146007'],
      ['MedicationStatement', 'medicationCodeableConcept', 'B01AF02'],
    ] as const) {
      const inNord = await codingsOf(nord, type, field, code);
      const inSyd = await codingsOf(syd, type, field, code);
      expect(inNord, `${type} in nord`).toHaveLength(1);
      expect(inSyd, `${type} in syd`).toHaveLength(1);
      expect(inNord[0]!.id).not.toBe(inSyd[0]!.id);
      expect((inNord[0]![field] as { coding: Coding[] }).coding).toEqual((inSyd[0]![field] as { coding: Coding[] }).coding);
    }
  });

  it('counts the requests it receives', async () => {
    const before = syd.requestCount();
    await getJson(`${syd.url}/metadata`);
    await getJson(`${syd.url}/Patient?identifier=${token(tolvan)}`);
    expect(syd.requestCount()).toBe(before + 2);
  });
});

describe('FHIR sandbox faults', () => {
  let sandbox: FhirSandbox;

  beforeAll(async () => {
    sandbox = await startFhirSandbox({ region: 'nord' });
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it("'down' resets every connection, and recovers when set back to 'none'", async () => {
    await getJson(`${sandbox.url}/metadata`); // leaves a kept-alive socket behind, which must be reset too
    sandbox.setFault('down');
    const before = sandbox.requestCount();
    await expect(fetch(`${sandbox.url}/metadata`)).rejects.toThrow();
    await expect(fetch(`${sandbox.url}/Patient?identifier=${token(tolvan)}`)).rejects.toThrow();
    expect(sandbox.requestCount()).toBeGreaterThanOrEqual(before + 2);
    sandbox.setFault('none');
    expect((await fetch(`${sandbox.url}/metadata`)).status).toBe(200);
  });

  it("'http500' answers data requests with 500 and an OperationOutcome", async () => {
    sandbox.setFault('http500');
    const res = await getJson(`${sandbox.url}/Patient?identifier=${token(tolvan)}`);
    expect(res.status).toBe(500);
    expect(res.type).toBe('application/fhir+json; charset=utf-8');
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect((res.body.issue as { code: string }[])[0]!.code).toBe('exception');
    // The capability statement is static, as on a real server whose database has failed.
    expect((await fetch(`${sandbox.url}/metadata`)).status).toBe(200);
    sandbox.setFault('none');
    expect((await fetch(`${sandbox.url}/Patient?identifier=${token(tolvan)}`)).status).toBe(200);
  });

  it("'slow' lets an aborting client go and serves again once cleared", async () => {
    sandbox.setFault('slow', { slowMs: 120_000 });
    const controller = new AbortController();
    const before = sandbox.requestCount();
    const pending = fetch(`${sandbox.url}/Patient?identifier=${token(tolvan)}`, { signal: controller.signal });
    await untilRequests(sandbox, before + 1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    sandbox.setFault('none');
    expect((await fetch(`${sandbox.url}/metadata`)).status).toBe(200);
  });

  it("'wrongPatient' answers the identifier search with somebody else, and serves that patient's data", async () => {
    sandbox.setFault('wrongPatient');
    const { status, body } = await getJson<Bundle>(`${sandbox.url}/Patient?identifier=${token(tolvan)}`);
    expect(status).toBe(200);
    expect(body.total).toBe(1);
    const other = body.entry![0]!.resource;
    expect(other.resourceType).toBe('Patient');
    expect(identifierValues(other)).not.toContain(tolvan.identifier.value);
    const known = SANDBOX_PATIENTS.filter((p) => p.key !== 'tolvan').map((p) => p.identifier.value);
    expect(identifierValues(other).some((v) => known.includes(v))).toBe(true);

    const conditions = await getJson<Bundle>(`${sandbox.url}/Condition?patient=${other.id}`);
    expect(conditions.body.total).toBeGreaterThan(0);
    for (const e of conditions.body.entry ?? []) {
      expect(e.resource.subject).toEqual({ reference: `Patient/${other.id}` });
    }
    sandbox.setFault('none');
  });
});

describe('FHIR sandbox close', () => {
  it('closes at once while slow responses are still pending', async () => {
    // If close() waited for the two-minute responses, this test would exceed its timeout.
    const sandbox = await startFhirSandbox({ region: 'syd', fault: 'slow', slowMs: 120_000 });
    const waiting = fetch(`${sandbox.url}/metadata`);
    const controller = new AbortController();
    const aborted = fetch(`${sandbox.url}/metadata`, { signal: controller.signal });
    await untilRequests(sandbox, 2);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    await sandbox.close();
    await expect(waiting).rejects.toThrow();
    await expect(fetch(`${sandbox.url}/metadata`)).rejects.toThrow();
  });

  it('refuses an unknown region and a host other than loopback', async () => {
    await expect(startFhirSandbox({ region: 'ost' })).rejects.toThrow(/unknown region/);
    await expect(
      startFhirSandbox({ region: 'nord', host: '0.0.0.0' as '127.0.0.1' }),
    ).rejects.toThrow(/127\.0\.0\.1/);
  });
});
