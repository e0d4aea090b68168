/**
 * What one access record holds (issue 10, item 6): who (user, role, unit,
 * organisation), which patient, why (purpose, reason), what was done, when and
 * with what outcome. The shapes are zod schemas; the record's canonical text
 * (fixed key order, absent fields as null) is what the hash chain covers.
 */
import { z } from 'zod';
import { CodedError, ERROR_CODES } from '../../shared/errors';
import { accessPurposeSchema, roleIdSchema, unitSchema } from '../../shared/session';

/** Everything that is logged: a closed list, so an export can say each in words. */
export const ACCESS_ACTIONS = [
  'patient.open',
  'section.view',
  'item.reveal',
  'consent.record',
  'emergency.open',
  'export',
  'print',
  'document.view',
  'session.signIn',
  'session.signOut',
  'access.refused',
] as const;
export const accessActionSchema = z.enum(ACCESS_ACTIONS);
export type AccessAction = z.output<typeof accessActionSchema>;

export const ACCESS_RESULTS = ['granted', 'refused', 'failed'] as const;

/** Free text a user types (why an emergency access): bounded, exceeding it is AUDIT_FIELD_TOO_LONG. */
export const REASON_MAX_CHARS = 500;
/** The short structured detail (a section key, an export format): bounded the same way. */
export const WHAT_MAX_CHARS = 200;

const userSchema = z.object({
  userId: z.string().min(1).max(200),
  displayName: z.string().min(1).max(200),
  role: roleIdSchema,
  careUnit: unitSchema,
  organisation: unitSchema,
});

/** The patient as typed (system + value); the store is encrypted, lookups go by a keyed hash. */
const patientSchema = z.object({ system: z.string().min(1).max(200).optional(), value: z.string().min(1).max(200) });

const outcomeSchema = z.object({
  result: z.enum(ACCESS_RESULTS),
  /** The coded error behind a refusal or failure. */
  code: z.enum(ERROR_CODES).optional(),
});

/** What a caller hands to `append` (a SignedInUser fits `user`: extra fields are dropped). */
export const accessEntrySchema = z.object({
  user: userSchema,
  /** Absent for actions about no patient (sign-in, sign-out). */
  patient: patientSchema.optional(),
  purpose: accessPurposeSchema.optional(),
  reason: z.string().min(1).max(REASON_MAX_CHARS).optional(),
  action: accessActionSchema,
  what: z.string().min(1).max(WHAT_MAX_CHARS).optional(),
  outcome: outcomeSchema,
});
export type AccessEntry = z.input<typeof accessEntrySchema>;

/** One stored record: the entry as validated, its place in the chain and the time from the log's clock. */
export const accessRecordSchema = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  action: accessActionSchema,
  outcome: outcomeSchema,
  user: userSchema,
  patient: patientSchema.optional(),
  purpose: accessPurposeSchema.optional(),
  reason: z.string().optional(),
  what: z.string().optional(),
});
export type AccessRecord = z.output<typeof accessRecordSchema>;

/**
 * The entry checked: a reason or detail over its cap is AUDIT_FIELD_TOO_LONG
 * (with the field and the cap), anything else malformed AUDIT_ENTRY_INVALID
 * with the path of the first problem. Never a value in the error.
 */
export function checkEntry(entry: AccessEntry): z.output<typeof accessEntrySchema> {
  for (const [field, max] of [
    ['reason', REASON_MAX_CHARS],
    ['what', WHAT_MAX_CHARS],
  ] as const) {
    const value = (entry as Record<string, unknown>)[field];
    if (typeof value === 'string' && value.length > max) throw new CodedError('AUDIT_FIELD_TOO_LONG', { field, max });
  }
  const parsed = accessEntrySchema.safeParse(entry);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = (issue?.path.map(String).join('.') || 'entry').slice(0, 64);
    // Every capped field (names, unit, identifiers) says so the same way as reason and what.
    if (issue?.code === 'too_big' && typeof issue.maximum === 'number') throw new CodedError('AUDIT_FIELD_TOO_LONG', { field, max: issue.maximum });
    throw new CodedError('AUDIT_ENTRY_INVALID', { field });
  }
  return parsed.data;
}

/** The record without its seq, in a fixed key order with absent fields as null: the text the chain hashes. */
export function canonicalRecordText(record: Omit<AccessRecord, 'seq'>): string {
  const unit = (u: { id: string; name: string }) => ({ id: u.id, name: u.name });
  return JSON.stringify({
    at: record.at,
    action: record.action,
    outcome: { result: record.outcome.result, code: record.outcome.code ?? null },
    user: {
      userId: record.user.userId,
      displayName: record.user.displayName,
      role: record.user.role,
      careUnit: unit(record.user.careUnit),
      organisation: unit(record.user.organisation),
    },
    patient: record.patient ? { system: record.patient.system ?? null, value: record.patient.value } : null,
    purpose: record.purpose ?? null,
    reason: record.reason ?? null,
    what: record.what ?? null,
  });
}

const storedTextSchema = z.object({
  at: z.string(),
  action: accessActionSchema,
  outcome: z.object({ result: z.enum(ACCESS_RESULTS), code: z.enum(ERROR_CODES).nullable() }),
  user: userSchema,
  patient: z.object({ system: z.string().nullable(), value: z.string() }).nullable(),
  purpose: accessPurposeSchema.nullable(),
  reason: z.string().nullable(),
  what: z.string().nullable(),
});

/** The stored text back as a record; undefined when it is not one (a damaged or forged row). */
export function recordFromText(seq: number, text: string): AccessRecord | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = storedTextSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const s = parsed.data;
  return {
    seq,
    at: s.at,
    action: s.action,
    outcome: s.outcome.code ? { result: s.outcome.result, code: s.outcome.code } : { result: s.outcome.result },
    user: s.user,
    ...(s.patient ? { patient: s.patient.system ? { system: s.patient.system, value: s.patient.value } : { value: s.patient.value } } : {}),
    ...(s.purpose ? { purpose: s.purpose } : {}),
    ...(s.reason !== null ? { reason: s.reason } : {}),
    ...(s.what !== null ? { what: s.what } : {}),
  };
}
