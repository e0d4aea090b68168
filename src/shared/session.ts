/**
 * Who is signed in, as the bridge and every main-process service see it.
 * Tokens never appear here: they stay inside the identity provider in the
 * main process (issue 10). The renderer receives exactly this shape.
 */
import { z } from 'zod';

/** A role view profile's id (configuration `roles`); the built-in profiles are these three. */
export const BUILTIN_ROLES = ['nurse', 'municipalCare', 'dental'] as const;
export const roleIdSchema = z.string().min(1).max(64);
export type RoleId = z.output<typeof roleIdSchema>;

export const unitSchema = z.object({ id: z.string().min(1).max(200), name: z.string().min(1).max(200) });

export const signedInUserSchema = z.object({
  /** Stable id from the identity provider (`sub` for OpenID Connect). Never a national id. */
  userId: z.string().min(1).max(200),
  displayName: z.string().min(1).max(200),
  role: roleIdSchema,
  careUnit: unitSchema,
  organisation: unitSchema,
  /** Which identity provider signed the user in ('local' or an OIDC issuer's configured id). */
  provider: z.string().min(1).max(100),
  signedInAt: z.string(),
});
export type SignedInUser = z.output<typeof signedInUserSchema>;

/** Why a patient is opened: recorded with every access (issue 10 item 4). */
export const ACCESS_PURPOSES = ['care', 'emergency'] as const;
export const accessPurposeSchema = z.enum(ACCESS_PURPOSES);
export type AccessPurpose = z.output<typeof accessPurposeSchema>;

/** One user of the local directory as the sign-in view lists them: who they are, never a secret. */
export const directoryEntrySchema = z.object({
  userId: z.string().min(1).max(200),
  displayName: z.string().min(1).max(200),
  role: roleIdSchema,
  careUnit: unitSchema,
  organisation: unitSchema,
});
export type DirectoryEntry = z.output<typeof directoryEntrySchema>;

/** Which kind of identity provider the installation uses. */
export const IDENTITY_KINDS = ['local', 'oidc'] as const;

/**
 * The session as the renderer sees it ('session.get', pushed as 'session.changed').
 * A locked session keeps its user (shown on the lock screen) but opens no patient.
 */
export const sessionViewSchema = z.object({
  user: signedInUserSchema.optional(),
  locked: z.boolean(),
  provider: z.object({ kind: z.enum(IDENTITY_KINDS), name: z.string().min(1).max(200) }),
  /** The local directory's users (local provider only). */
  users: z.array(directoryEntrySchema).max(500).optional(),
  /** An OpenID Connect sign-in is waiting for the browser to come back. */
  pending: z.boolean(),
  idleLockSeconds: z.number().positive(),
});
export type SessionView = z.output<typeof sessionViewSchema>;
