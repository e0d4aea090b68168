/**
 * The HL7 v2 sandbox's synthetic records: one file of segments (PID first) per
 * patient in resources/sandbox/hl7/<region>/. Read with @medplum/core's HL7
 * parser, so the sandbox does not share code with the client it tests.
 * Patients are the FHIR sandbox's (same official test numbers) where they
 * overlap, coded differently where real systems differ (NPL product ids beside
 * ATC, ICPC-2 beside ICD-10).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Hl7Message } from '@medplum/core';
import { resourcesDir } from '../platform/paths';

export const HL7_SANDBOX_REGIONS = {
  vast: 'Kommun Väst',
} as const;

export type Hl7SandboxRegion = keyof typeof HL7_SANDBOX_REGIONS;

export function isHl7SandboxRegion(value: string): value is Hl7SandboxRegion {
  return Object.hasOwn(HL7_SANDBOX_REGIONS, value);
}

/** Patients the HL7 sandbox holds (for the demo's list); numbers are official test numbers. */
export const HL7_SANDBOX_PATIENTS = [
  { key: 'tolvan', name: 'Tolvan Tolvansson', value: '191212121212', regions: ['vast'], note: 'also in Region Nord and Syd (FHIR)' },
  { key: 'elsa', name: 'Elsa Provsson', value: '201701022384', regions: ['vast'], note: 'only in Kommun Väst (HL7 v2) and the lab drop folder' },
] as const;

export interface Hl7PatientRecord {
  /** PID-3 repetitions: value and assigning authority (namespace and universal id). */
  identifiers: { value: string; authorities: string[] }[];
  /** The record's segments, PID first, as HL7 text (standard delimiters). */
  segments: string[];
}

export function hl7SandboxDir(): string {
  return path.join(resourcesDir(), 'sandbox', 'hl7');
}

export function loadHl7Region(region: string, dir: string = hl7SandboxDir()): Hl7PatientRecord[] {
  if (!isHl7SandboxRegion(region)) throw new Error(`sandbox: unknown HL7 region ${region}`);
  const folder = path.join(dir, region);
  if (!existsSync(folder)) throw new Error(`sandbox: no data for HL7 region ${region}`);
  return readdirSync(folder)
    .filter((f) => f.endsWith('.hl7'))
    .sort()
    .map((file) => {
      const segments = readFileSync(path.join(folder, file), 'utf8')
        .split(/\r\n|\n|\r/)
        .filter((line) => line.trim() !== '');
      const header = 'MSH|^~\\&|SANDBOX|SANDBOX|SANDBOX|SANDBOX|20260101||ADT^A08|X|P|2.5';
      const pid = Hl7Message.parse([header, ...segments].join('\r')).getSegment('PID');
      if (!pid || segments[0]?.slice(0, 3) !== 'PID') throw new Error(`sandbox: ${file} must start with PID`);
      const field = pid.getField(3);
      const identifiers: Hl7PatientRecord['identifiers'] = [];
      for (let rep = 0; rep < field.components.length; rep++) {
        const value = field.getComponent(1, undefined, rep);
        const authorities = [field.getComponent(4, 0, rep), field.getComponent(4, 1, rep)].filter((a) => a !== '');
        if (value) identifiers.push({ value, authorities });
      }
      return { identifiers, segments };
    });
}
