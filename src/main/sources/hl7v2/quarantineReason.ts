/**
 * Why a file or message was quarantined, in a form that is safe to keep on disk
 * in plain JSON: the error code and its positional parameters only (which
 * message, which segment, which field, counts). Error params are already meant
 * to be free of patient data; this is the second lock, so a parameter added to
 * an error later can never carry an identifier or clinical text into the folder.
 */
import { z } from 'zod';
import { type CodedError, ERROR_CODES, type ErrorCode } from '../../../shared/errors';

const POSITIONS = ['message', 'segment', 'field', 'component', 'expected', 'found'] as const;
const SEGMENT_NAME = /^[A-Z][A-Z0-9]{2}$/;
const TOKEN = /^[a-z][a-z-]{0,23}$/;

export const quarantineReasonSchema = z.strictObject({
  code: z.string().refine((c) => (ERROR_CODES as readonly string[]).includes(c)),
  params: z.strictObject({
    message: z.number().int().nonnegative().optional(),
    segment: z.number().int().nonnegative().optional(),
    field: z.number().int().nonnegative().optional(),
    component: z.number().int().nonnegative().optional(),
    expected: z.number().int().nonnegative().optional(),
    found: z.number().int().nonnegative().optional(),
    /** A segment name such as MSH or BTS. */
    name: z.string().regex(SEGMENT_NAME).optional(),
    /** A fixed token such as `empty`. */
    reason: z.string().regex(TOKEN).optional(),
  }),
});

export type QuarantineReason = { code: ErrorCode; params: z.infer<typeof quarantineReasonSchema>['params'] };

/** The error's code and those of its params that are positions, segment names or fixed tokens. */
export function quarantineReason(error: CodedError): QuarantineReason {
  const params: QuarantineReason['params'] = {};
  const given = error.params ?? {};
  for (const key of POSITIONS) {
    const value = given[key];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) params[key] = value;
  }
  if (typeof given.name === 'string' && SEGMENT_NAME.test(given.name)) params.name = given.name;
  if (typeof given.reason === 'string' && TOKEN.test(given.reason)) params.reason = given.reason;
  return { code: error.code, params };
}

/** The text of a `.reason.json` file beside a quarantined file or message. */
export function reasonFileText(reason: QuarantineReason, at: Date): string {
  return JSON.stringify({ code: reason.code, params: reason.params, at: at.toISOString() }, null, 2) + '\n';
}
