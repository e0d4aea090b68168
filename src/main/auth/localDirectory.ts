/**
 * The local directory: synthetic users chosen from a list, for the demo, the
 * tests and the command line's technical identity. Names are synthetic; staff
 * need no national id.
 */
import { z } from 'zod';
import { CodedError } from '../../shared/errors';
import { roleIdSchema, unitSchema, type DirectoryEntry, type SignedInUser } from '../../shared/session';
import type { Clock } from '../platform/clock';
import type { IdentityProvider } from './identityProvider';

export const localUserSchema = z.object({
  userId: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
  displayName: z.string().min(1).max(200),
  role: roleIdSchema,
  careUnit: unitSchema,
  organisation: unitSchema,
});
export type LocalUser = z.output<typeof localUserSchema>;

/** The provider name recorded on a local directory user. */
export const LOCAL_PROVIDER = 'local';

/** The command line's technical identity (`samsyn summarize --as`): a nurse with no care unit of her own. */
export const CLI_USER: LocalUser = {
  userId: 'cli',
  displayName: 'Samsyn kommandorad',
  role: 'nurse',
  careUnit: { id: 'cli', name: 'Kommandorad' },
  organisation: { id: 'cli', name: 'Samsyn' },
};

/** The built-in synthetic users the demo offers when the configuration names no identity provider. */
export const BUILTIN_LOCAL_USERS: readonly LocalUser[] = [
  {
    userId: 'anna.nurse',
    displayName: 'Anna Lindqvist',
    role: 'nurse',
    careUnit: { id: 'vc-norrby', name: 'Vårdcentralen Norrby' },
    organisation: { id: 'region-nord', name: 'Region Nord' },
  },
  {
    userId: 'erik.homecare',
    displayName: 'Erik Johansson',
    role: 'municipalCare',
    careUnit: { id: 'hemtjanst-vast', name: 'Hemtjänsten Väst' },
    organisation: { id: 'kommun-vast', name: 'Kommun Väst' },
  },
  {
    userId: 'maria.dental',
    displayName: 'Maria Berg',
    role: 'dental',
    careUnit: { id: 'tandvard-syd', name: 'Folktandvården Syd' },
    organisation: { id: 'region-syd', name: 'Region Syd' },
  },
  {
    userId: 'ingrid.nurse',
    displayName: 'Ingrid Haugen',
    role: 'nurse',
    careUnit: { id: 'legekontor-nord', name: 'Nordbyen legekontor' },
    organisation: { id: 'nordbyen-kommune', name: 'Nordbyen kommune' },
  },
  {
    userId: 'aino.nurse',
    displayName: 'Aino Virtanen',
    role: 'nurse',
    careUnit: { id: 'tk-pohjola', name: 'Pohjolan terveysasema' },
    organisation: { id: 'hva-pohjola', name: 'Pohjolan hyvinvointialue' },
  },
];

export function directoryEntry(user: LocalUser): DirectoryEntry {
  return { userId: user.userId, displayName: user.displayName, role: user.role, careUnit: user.careUnit, organisation: user.organisation };
}

export function createLocalDirectory(options: { users?: readonly LocalUser[]; clock: Clock }): IdentityProvider {
  const users = [...(options.users ?? BUILTIN_LOCAL_USERS)];
  return {
    kind: 'local',
    name: LOCAL_PROVIDER,
    users: () => users.map(directoryEntry),
    async begin({ userId }) {
      const found = users.find((u) => u.userId === userId);
      if (!found) throw new CodedError('AUTH_USER_UNKNOWN');
      const user: SignedInUser = { ...directoryEntry(found), provider: LOCAL_PROVIDER, signedInAt: options.clock.now().toISOString() };
      return { kind: 'done', user };
    },
    signOut() {},
    close: async () => {},
  };
}
