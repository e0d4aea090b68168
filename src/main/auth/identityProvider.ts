/**
 * Sign-in (issue 10 item 1): one interface, two implementations: the local
 * directory of synthetic users (demo, tests, the CLI's technical identity) and
 * OpenID Connect (authorization code with PKCE, as HelseID and the Swedish and
 * Finnish healthcare identity providers use). A provider hands back only a
 * SignedInUser; tokens stay inside the OIDC provider's memory.
 */
import type { DirectoryEntry, SignedInUser } from '../../shared/session';

/** How a sign-in starts: at once (local), or by a browser trip to the identity provider (OIDC). */
export type SignInStart =
  | { kind: 'done'; user: SignedInUser }
  | {
      kind: 'redirect';
      /** Open in the system browser (Electron: shell.openExternal; preview: the renderer opens it). */
      authorizationUrl: string;
      /** Settles when the browser comes back to the loopback redirect (or fails, is cancelled, times out). */
      completion: Promise<SignedInUser>;
    };

export interface IdentityProvider {
  readonly kind: 'local' | 'oidc';
  /** Shown on the sign-in button ("Sign in with NAME") and recorded as SignedInUser.provider. */
  readonly name: string;
  /** The local directory's users; undefined for OIDC. */
  users(): DirectoryEntry[] | undefined;
  /** Starts a sign-in; `userId` picks a local directory user. Throws CodedError. */
  begin(request: { userId?: string }): Promise<SignInStart>;
  /** Forgets whatever the provider holds for the signed-in user (tokens) and cancels a pending sign-in. */
  signOut(): void;
  /** Stops listeners (a pending loopback redirect). */
  close(): Promise<void>;
}
