/**
 * Public third-party example data (test/fixtures/thirdparty, each file's
 * source and licence in SOURCES.md): IPS documents, Synthea bundles and HL7 v2
 * messages from open-source test suites and specifications. Each file is
 * summarised exactly as `samsyn summarize --json` does, and:
 *  - no record is lost: every clinical resource or segment is reachable from an
 *    item (its sources or its history), or counted as retracted or sealed;
 *  - no record id is empty or has an empty part;
 *  - nothing about another patient is shown (every file source passes the guard);
 *  - every malformed file is one coded error line, never a crash; a FHIR
 *    file's resource of the wrong shape is left out and counted in the
 *    source's status instead, the file's other records shown (ADR 0033).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IPS_SECTION_CODES } from '../../../src/main/sources/fhir/emptySections';
import { MAPPED_RESOURCE_TYPES } from '../../../src/main/sources/fhir/mappers';
import { SECTION_KEYS, type Summary } from '../../../src/shared/summary';
import { cli } from '../cli/runCli';

const DIR = join(__dirname, '..', '..', 'fixtures', 'thirdparty');

interface Entry {
  file: string;
  format: 'fhir-bundle' | 'hl7v2';
  patient: string;
  malformed: boolean;
}

const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Entry[];
const CLINICAL_SEGMENTS = new Set(['AL1', 'IAM', 'RXE', 'RXO', 'RXA', 'PRB', 'DG1', 'OBX', 'PV1']);
const MAPPED = new Set<string>(MAPPED_RESOURCE_TYPES);

/** The records a file holds that Samsyn maps. */
function inputRecords(entry: Entry, bytes: Buffer): number {
  if (entry.format === 'hl7v2') {
    const value = entry.patient.split('|')[1] as string;
    const lines = bytes.toString('latin1').split(/\r\n|\r|\n/);
    // Messages, each about the patient in its PID; a message re-sent unchanged is one delivery.
    const messages = new Set<string>();
    let current: string[] = [];
    const flush = () => {
      if (current.some((l) => l.startsWith('PID') && l.split('|').slice(2, 5).some((f) => f.split('~').some((r) => r.split('^')[0] === value)))) {
        messages.add(current.join('\r'));
      }
      current = [];
    };
    for (const line of lines) {
      if (line.startsWith('MSH')) flush();
      if (!/^(FHS|BHS|BTS|FTS)/.test(line) && line.trim() !== '') current.push(line);
    }
    flush();
    return [...messages].reduce((n, m) => n + m.split('\r').filter((l) => CLINICAL_SEGMENTS.has(l.slice(0, 3))).length, 0);
  }
  type Section = { code?: { coding?: { system?: string; code?: string }[] }; entry?: unknown[]; emptyReason?: unknown };
  const bundle = JSON.parse(bytes.toString('utf8')) as {
    entry?: { resource?: { resourceType?: string; section?: Section[] }; request?: { method?: string }; search?: { mode?: string } }[];
  };
  const entries = (bundle.entry ?? []).filter((e) => e.request?.method !== 'DELETE' && e.search?.mode !== 'outcome');
  const resources = entries.filter((e) => e.resource?.resourceType && MAPPED.has(e.resource.resourceType)).length;
  // A document's sections stated empty (IPS emptyReason) are records too: each is a stated absence.
  const emptySections = entries
    .filter((e) => e.resource?.resourceType === 'Composition')
    .flatMap((e) => e.resource?.section ?? [])
    .filter((s) => s.emptyReason && (s.entry?.length ?? 0) === 0 && (s.code?.coding ?? []).some((c) => c.system === 'http://loinc.org' && c.code && c.code in IPS_SECTION_CODES)).length;
  return resources + emptySections;
}

function reachable(summary: Summary): { count: number; ids: string[] } {
  const ids: string[] = [];
  for (const key of SECTION_KEYS) {
    for (const item of summary.sections[key]) {
      ids.push(...item.sources.map((s) => s.recordId), ...(item.history ?? []).map((h) => h.provenance.recordId));
    }
  }
  const retracted = Object.values(summary.retracted ?? {}).reduce((a, b) => a + (b ?? 0), 0);
  return { count: ids.length + retracted + summary.hiddenSealed, ids };
}

describe('third-party corpus', () => {
  it('holds public examples of every kind the issue names', () => {
    const files = manifest.map((e) => e.file).join(' ');
    for (const kind of ['ips-bundle', 'synthea', 'adt-a0', 'oru-r01', 'rde-o11', 'vxu-v04', 'rsp-k11', 'batch']) expect(files).toContain(kind);
    expect(manifest.some((e) => e.malformed && e.format === 'hl7v2')).toBe(true);
  });

  it.each(manifest.filter((e) => !e.malformed).map((e) => [e.file, e] as const))('%s: summarised with no record lost, no empty record id, no other patient', async (_file, entry) => {
    const path = join(DIR, entry.file);
    const run = await cli('summarize', path, '--patient', entry.patient, '--json');
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.out) as Summary;
    expect(summary.sources.map((s) => s.state)).toEqual(['ok']);
    const { count, ids } = reachable(summary);
    expect(count).toBe(inputRecords(entry, readFileSync(path)));
    for (const id of ids) {
      expect(id).not.toMatch(/^$|\/$|\/\/|\/#?$/);
    }
  });

  // A FHIR resource of the wrong shape is left out and counted (ADR 0033): the file's other records are shown.
  it.each(manifest.filter((e) => e.malformed && e.format === 'fhir-bundle').map((e) => [e.file, e] as const))('%s: read, its unreadable records counted in the source status, none lost', async (_file, entry) => {
    const path = join(DIR, entry.file);
    const run = await cli('summarize', path, '--patient', entry.patient, '--json');
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.out) as Summary;
    expect(summary.sources.map((s) => s.state)).toEqual(['ok']);
    const skipped = summary.sources[0]?.skipped;
    expect(skipped?.code).toBe('SOURCE_BAD_RESPONSE');
    expect(skipped?.count).toBeGreaterThan(0);
    expect(reachable(summary).count + (skipped?.count ?? 0)).toBe(inputRecords(entry, readFileSync(path)));
  });

  it.each(manifest.filter((e) => e.malformed && e.format !== 'fhir-bundle').map((e) => [e.file, e] as const))('%s: refused with one coded error line', async (_file, entry) => {
    const run = await cli('summarize', join(DIR, entry.file), '--patient', entry.patient, '--json');
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toMatch(/^samsyn: [A-Z][A-Z0-9_]+: /);
    expect(run.err).not.toMatch(/INTERNAL|at .+\.ts:\d+/);
    expect(run.err.trim().split('\n')).toHaveLength(1);
  });

  it('reads an IPS section stated empty as "no information", never as "none known"', async () => {
    const entry = manifest.find((e) => e.file === 'ips-bundle-no-info-required-sections.json') as Entry;
    const run = await cli('summarize', join(DIR, entry.file), '--patient', entry.patient, '--json');
    const summary = JSON.parse(run.out) as Summary;
    expect(summary.coverage?.[0]?.sections).toMatchObject({ allergies: 'noInformation', medications: 'noInformation', problems: 'noInformation', immunizations: 'items' });
    expect(summary.sections.allergies.map((a) => a.details.absence)).toEqual(['noInformation']);
  });
});
