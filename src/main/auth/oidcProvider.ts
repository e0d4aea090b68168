/**
 * OpenID Connect sign-in on openid-client (ADR 0013): authorization code with
 * PKCE (S256), state and nonce, redirected to a loopback listener on
 * 127.0.0.1 at a port the system picks (RFC 8252 §7.3). The caller opens the
 * authorization URL in the system browser. Tokens are held in this closure
 * only: never logged, never returned, never written; sign-out drops them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as Oidc from 'openid-client';
import { z } from 'zod';
import { CodedError } from '../../shared/errors';
import type { SignedInUser } from '../../shared/session';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { claimMappingSchema, mapClaims } from './claimMapping';
import type { IdentityProvider, SignInStart } from './identityProvider';

export const oidcSettingsSchema = z.object({
  provider: z.literal('oidc'),
  /** Shown on the sign-in button and recorded with the user (e.g. "HelseID", "SITHS eID"). */
  name: z.string().min(1).max(100).default('OpenID Connect'),
  issuer: z.string().url(),
  clientId: z.string().min(1).max(500),
  /** Only for a provider that demands a confidential client; a desktop app is normally public (PKCE only). */
  clientSecret: z.string().min(1).max(500).optional(),
  scopes: z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/)).min(1).max(30).default(['openid', 'profile']),
  claims: claimMappingSchema.default(claimMappingSchema.parse({})),
  /** How long the loopback listener waits for the browser to come back (default 5 minutes). */
  signInTimeoutSeconds: z.number().int().min(5).max(3_600).default(300),
});
export type OidcSettings = z.output<typeof oidcSettingsSchema>;

const CALLBACK_PATH = '/callback';

/** http is allowed only for an issuer on this machine's loopback (the sandbox, a local test provider). */
function isLoopbackIssuer(issuer: URL): boolean {
  return issuer.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(issuer.hostname);
}

const PAGE = (title: string) =>
  `<!doctype html><meta charset="utf-8"><title>Samsyn</title><p style="font-family:sans-serif">${title}</p>`;

interface Pending {
  server: Server;
  timer: NodeJS.Timeout;
  fail(err: CodedError): void;
}

export interface OidcIdentityProvider extends IdentityProvider {
  /** Whether tokens are held (after sign-in, until sign-out), without handing them out. */
  holdsTokens(): boolean;
}

let openidClient: Promise<typeof Oidc> | undefined;

/** openid-client, imported at the first sign-in through a provider: a local-directory installation never loads it. */
function loadOpenidClient(): Promise<typeof Oidc> {
  return (openidClient ??= import('openid-client'));
}

export function createOidcIdentityProvider(settings: OidcSettings, deps: { clock: Clock; logger: Logger }): OidcIdentityProvider {
  const log = deps.logger.child({ component: 'auth.oidc' });
  const issuer = new URL(settings.issuer);
  let discovered: Promise<Oidc.Configuration> | undefined;
  let pending: Pending | undefined;
  // The one place tokens live: main-process memory, this closure.
  let tokens: { accessToken: string; refreshToken?: string; idToken?: string } | undefined;

  function configuration(): Promise<Oidc.Configuration> {
    discovered ??= loadOpenidClient()
      .then((oidc) =>
        oidc.discovery(
          issuer,
          settings.clientId,
          settings.clientSecret,
          settings.clientSecret ? oidc.ClientSecretPost(settings.clientSecret) : oidc.None(),
          { ...(isLoopbackIssuer(issuer) ? { execute: [oidc.allowInsecureRequests] } : {}), timeout: 15 },
        ),
      )
      .catch((err: unknown) => {
        discovered = undefined;
        log.warn({ err: (err as Error)?.name ?? typeof err }, 'identity provider discovery failed');
        throw new CodedError('AUTH_PROVIDER_UNREACHABLE');
      });
    return discovered;
  }

  function cancelPending(): void {
    pending?.fail(new CodedError('AUTH_FAILED', { reason: 'cancelled' }));
  }

  async function begin(): Promise<SignInStart> {
    cancelPending();
    const config = await configuration();
    const oidc = await loadOpenidClient();
    const verifier = oidc.randomPKCECodeVerifier();
    const challenge = await oidc.calculatePKCECodeChallenge(verifier);
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();

    let settle!: { resolve(user: SignedInUser): void; reject(err: CodedError): void };
    const completion = new Promise<SignedInUser>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Nobody may be left with an unhandled rejection when the caller stopped waiting.
    completion.catch(() => undefined);

    const server = createServer();
    await new Promise<void>((done, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => done());
    });
    const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}${CALLBACK_PATH}`;
    const finish = (outcome: { user: SignedInUser } | { error: CodedError }): void => {
      if (pending?.server !== server) return;
      clearTimeout(pending.timer);
      pending = undefined;
      server.closeAllConnections();
      server.close();
      if ('user' in outcome) settle.resolve(outcome.user);
      else settle.reject(outcome.error);
    };
    const timer = setTimeout(() => finish({ error: new CodedError('AUTH_TIMEOUT') }), settings.signInTimeoutSeconds * 1000);
    timer.unref();
    pending = { server, timer, fail: (error) => finish({ error }) };

    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', redirectUri);
      if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
        res.writeHead(404).end();
        return;
      }
      void (async () => {
        try {
          const user = await redeem(config, url, { verifier, state, nonce });
          res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
          res.end(PAGE('Inloggad i Samsyn. Du kan stänga det här fönstret. / Signed in to Samsyn. You can close this window.'));
          finish({ user });
        } catch (err) {
          const coded = err instanceof CodedError ? err : new CodedError('AUTH_FAILED');
          // The library's error names the check that failed; nothing from the response is logged.
          if (!(err instanceof CodedError)) log.warn({ err: (err as Error)?.name ?? typeof err, code: (err as { code?: unknown })?.code }, 'authorization code not accepted');
          res.writeHead(400, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
          res.end(PAGE('Inloggningen misslyckades. / Sign-in failed.'));
          finish({ error: coded });
        }
      })();
    });

    const authorizationUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: settings.scopes.join(' '),
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { kind: 'redirect', authorizationUrl: authorizationUrl.href, completion };
  }

  async function redeem(
    config: Oidc.Configuration,
    callback: URL,
    checks: { verifier: string; state: string; nonce: string },
  ): Promise<SignedInUser> {
    const oidc = await loadOpenidClient();
    const response = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: checks.verifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    let claims: Record<string, unknown> = { ...(response.claims() ?? {}) };
    const context = { provider: settings.name, now: deps.clock.now() };
    let user: SignedInUser;
    try {
      user = mapClaims(claims, settings.claims, context);
    } catch {
      // Some providers send role and unit only from the userinfo endpoint.
      const info = await oidc.fetchUserInfo(config, response.access_token, typeof claims.sub === 'string' ? claims.sub : oidc.skipSubjectCheck);
      claims = { ...claims, ...info };
      user = mapClaims(claims, settings.claims, context);
    }
    tokens = {
      accessToken: response.access_token,
      ...(response.refresh_token ? { refreshToken: response.refresh_token } : {}),
      ...(response.id_token ? { idToken: response.id_token } : {}),
    };
    return user;
  }

  return {
    kind: 'oidc',
    name: settings.name,
    users: () => undefined,
    begin,
    holdsTokens: () => tokens !== undefined,
    signOut() {
      cancelPending();
      tokens = undefined;
    },
    async close() {
      cancelPending();
      tokens = undefined;
    },
  };
}
