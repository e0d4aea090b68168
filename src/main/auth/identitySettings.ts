/**
 * The configuration's `identity` and `session` blocks, and the identity
 * provider they describe. Without `identity`, the built-in local directory of
 * synthetic demo users is used.
 */
import { z } from 'zod';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { IdentityProvider } from './identityProvider';
import { createLocalDirectory, localUserSchema } from './localDirectory';
import { createOidcIdentityProvider, oidcSettingsSchema } from './oidcProvider';
import { DEFAULT_IDLE_LOCK_SECONDS } from './sessionManager';

export const localIdentitySchema = z.object({
  provider: z.literal('local'),
  users: z.array(localUserSchema).min(1).max(500),
});

export const identitySettingsSchema = z.discriminatedUnion('provider', [localIdentitySchema, oidcSettingsSchema]);
export type IdentitySettings = z.output<typeof identitySettingsSchema>;

export const sessionSettingsSchema = z.object({
  /** The shared workstation locks after this many idle minutes (default 5). */
  idleLockMinutes: z.number().positive().max(24 * 60).default(5),
  /** Overrides idleLockMinutes in seconds (tests, demonstrations). */
  idleLockSeconds: z.number().int().min(1).max(24 * 3600).optional(),
});
export type SessionSettings = z.output<typeof sessionSettingsSchema>;

export function idleLockSeconds(settings: SessionSettings | undefined): number {
  if (!settings) return DEFAULT_IDLE_LOCK_SECONDS;
  return settings.idleLockSeconds ?? Math.round(settings.idleLockMinutes * 60);
}

export function createIdentityProvider(settings: IdentitySettings | undefined, deps: { clock: Clock; logger: Logger }): IdentityProvider {
  if (settings?.provider === 'oidc') return createOidcIdentityProvider(settings, deps);
  return createLocalDirectory({ ...(settings ? { users: settings.users } : {}), clock: deps.clock });
}
