/**
 * OpenID Connect claims → SignedInUser, by the configured claim names: each
 * national identity provider names role, care unit and organisation its own
 * way. A missing claim is AUTH_CLAIMS_MISSING naming the mapping field, never
 * a claim's value.
 */
import { z } from 'zod';
import { CodedError } from '../../shared/errors';
import type { SignedInUser } from '../../shared/session';

/** Claim names; a dotted name (`org.id`) reads a nested claim. */
export const claimMappingSchema = z.object({
  userId: z.string().min(1).default('sub'),
  name: z.string().min(1).default('name'),
  role: z.string().min(1).default('samsyn_role'),
  careUnitId: z.string().min(1).default('care_unit_id'),
  careUnitName: z.string().min(1).default('care_unit_name'),
  organisationId: z.string().min(1).default('organisation_id'),
  organisationName: z.string().min(1).default('organisation_name'),
  /** Provider role values → Samsyn role ids; a value not listed is used as it is. */
  roles: z.record(z.string(), z.string().min(1).max(64)).optional(),
});
export type ClaimMapping = z.output<typeof claimMappingSchema>;

function read(claims: Record<string, unknown>, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export function mapClaims(
  claims: Record<string, unknown>,
  mapping: ClaimMapping,
  context: { provider: string; now: Date },
): SignedInUser {
  const field = (key: Exclude<keyof ClaimMapping, 'roles'>): string => {
    const value = read(claims, mapping[key]);
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string' || text.trim() === '' || text.length > 200) throw new CodedError('AUTH_CLAIMS_MISSING', { claim: key });
    return text.trim();
  };
  const role = field('role');
  const mappedRole = mapping.roles && Object.prototype.hasOwnProperty.call(mapping.roles, role) ? mapping.roles[role]! : role;
  if (mappedRole.length > 64) throw new CodedError('AUTH_CLAIMS_MISSING', { claim: 'role' });
  return {
    userId: field('userId'),
    displayName: field('name'),
    role: mappedRole,
    careUnit: { id: field('careUnitId'), name: field('careUnitName') },
    organisation: { id: field('organisationId'), name: field('organisationName') },
    provider: context.provider,
    signedInAt: context.now.toISOString(),
  };
}
