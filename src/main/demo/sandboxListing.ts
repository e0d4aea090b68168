/**
 * The demo's listing of synthetic test patients (official test numbers): one
 * line per person, where each can be found, FHIR and HL7 v2 together.
 */
import { SANDBOX_PATIENTS } from '../sandbox/fhirData';
import { HL7_SANDBOX_PATIENTS } from '../sandbox/hl7Data';

export interface SandboxPatientListing {
  id: string;
  name: string;
  places: string[];
}

export function sandboxPatientListing(): SandboxPatientListing[] {
  const where = new Map<string, SandboxPatientListing>();
  const add = (id: string, name: string, place: string) => {
    const entry = where.get(id) ?? { id, name, places: [] };
    entry.places.push(place);
    where.set(id, entry);
  };
  for (const p of SANDBOX_PATIENTS) for (const r of p.regions) add(p.identifier.value, p.name, `FHIR ${r}`);
  for (const p of HL7_SANDBOX_PATIENTS) add(p.value, p.name, 'HL7 v2 vast');
  return [...where.values()];
}

