/**
 * Role view profiles (issue 10 item 3): which sections a role receives, in
 * which order, and for which sections only some item kinds. The three built-in
 * profiles can be changed and others added in the configuration (`roles`);
 * the filter (roleFilter.ts) applies them in the main process before anything
 * reaches the bridge, the cache reader's answer or an export.
 */
import { z } from 'zod';
import { SECTION_KEYS, type SectionKey } from '../../shared/sections';
import type { RoleId } from '../../shared/session';
import { isItemKind } from './itemKinds';

const sectionKey = z.enum(SECTION_KEYS);

export const roleProfileSchema = z
  .object({
    /** The sections the role receives, in the order the screen shows them. Sections not listed are never sent. */
    sections: z.array(sectionKey).min(1).max(SECTION_KEYS.length),
    /** Sections the role receives only some kinds of item in (src/main/access/itemKinds.ts). */
    items: z.partialRecord(sectionKey, z.array(z.string().refine(isItemKind, 'unknown item kind')).min(1)).optional(),
    /** Item kinds marked on every item of the role's view that is of them (shown as a tag). */
    mark: z.array(z.string().refine(isItemKind, 'unknown item kind')).optional(),
  })
  .refine((p) => new Set(p.sections).size === p.sections.length, { message: 'a section is listed twice', path: ['sections'] })
  .refine((p) => Object.keys(p.items ?? {}).every((k) => p.sections.includes(k as SectionKey)), {
    message: 'items names a section the role does not receive',
    path: ['items'],
  });

export type RoleProfile = z.output<typeof roleProfileSchema> & { id: RoleId };

/** `roles` in the configuration: profiles by role id, replacing a built-in one of the same id. */
export const rolesConfigSchema = z.record(z.string().min(1).max(64), roleProfileSchema).optional();

const DENTAL_KINDS = [
  'antithrombotic',
  'antiresorptive',
  'immunosuppressive',
  'antidiabetic',
  'bleedingDisorder',
  'endocarditisRisk',
  'diabetes',
  'immunosuppression',
  'headNeckRadiotherapy',
  'inr',
];

export const BUILTIN_PROFILES: Readonly<Record<'nurse' | 'municipalCare' | 'dental', RoleProfile>> = {
  /** Regional or primary care nurse: everything, in IPS order. */
  nurse: { id: 'nurse', sections: [...SECTION_KEYS] },
  /**
   * Home and elderly care: after the critical sections (alerts, allergies),
   * home measurements lead (issue 15), then current medications, care plans
   * and recent contacts.
   */
  municipalCare: {
    id: 'municipalCare',
    sections: ['alerts', 'allergies', 'homeMeasurements', 'medications', 'carePlans', 'encounters', 'problems', 'immunizations', 'results', 'documents'],
  },
  /**
   * Dental clinic: allergies and what changes dental treatment — anticoagulants
   * and antiplatelets, antiresorptives, bleeding disorders, endocarditis risk
   * and prosthetic valves, diabetes, immunosuppression, head and neck
   * radiotherapy — and nothing else (no psychiatric diagnoses, no lab values but INR).
   */
  dental: {
    id: 'dental',
    sections: ['alerts', 'allergies', 'medications', 'problems', 'procedures', 'results'],
    items: {
      medications: ['antithrombotic', 'antiresorptive', 'immunosuppressive', 'antidiabetic'],
      problems: ['bleedingDisorder', 'endocarditisRisk', 'diabetes', 'immunosuppression', 'headNeckRadiotherapy'],
      procedures: ['endocarditisRisk', 'headNeckRadiotherapy'],
      results: ['inr'],
    },
    mark: DENTAL_KINDS,
  },
};

/** The profiles in force: the built-in ones, replaced or extended by the configuration's `roles`. */
export function roleProfiles(configured?: z.output<typeof rolesConfigSchema>): ReadonlyMap<RoleId, RoleProfile> {
  const profiles = new Map<RoleId, RoleProfile>(Object.values(BUILTIN_PROFILES).map((p) => [p.id, p]));
  for (const [id, profile] of Object.entries(configured ?? {})) profiles.set(id, { ...profile, id });
  return profiles;
}
