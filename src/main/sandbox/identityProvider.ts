/**
 * A sandbox OpenID Connect identity provider on 127.0.0.1 (oidc-provider,
 * ADR 0013) for the tests and, optionally, the demo: the synthetic staff of
 * the local directory, each with role, care unit and organisation claims.
 * One public native client (no secret) whose loopback redirect may use any
 * port (RFC 8252 §7.3); PKCE with S256 is required. The login page lists the
 * users: choosing one is the whole "authentication". Synthetic names only.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';
import { BUILTIN_LOCAL_USERS, type LocalUser } from '../auth/localDirectory';

export const SANDBOX_CLIENT_ID = 'samsyn-desktop';
export const SANDBOX_SCOPES = ['openid', 'profile', 'samsyn'];

export interface IdentitySandbox {
  /** The issuer: http://127.0.0.1:PORT */
  issuer: string;
  clientId: string;
  users: readonly LocalUser[];
  /** The access tokens issued so far (for tests that prove no token leaves the main process). */
  issuedAccessTokens(): string[];
  close(): Promise<void>;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function loginPage(uid: string, users: readonly LocalUser[]): string {
  const buttons = users
    .map(
      (u) =>
        `<li><button type="submit" name="login" value="${escapeHtml(u.userId)}" data-user="${escapeHtml(u.userId)}">${escapeHtml(u.displayName)}</button> ${escapeHtml(u.role)}, ${escapeHtml(u.careUnit.name)}, ${escapeHtml(u.organisation.name)}</li>`,
    )
    .join('');
  return `<!doctype html><meta charset="utf-8"><title>Sandbox identity provider</title>
<h1>Sandbox identity provider</h1><p>Synthetic users only. Choose who you are:</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login"><ul>${buttons}</ul></form>`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16 * 1024) break;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startIdentitySandbox(options: { users?: readonly LocalUser[]; port?: number } = {}): Promise<IdentitySandbox> {
  const users = options.users ?? BUILTIN_LOCAL_USERS;
  const server = createServer();
  await new Promise<void>((done, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => done());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  const configuration: Configuration = {
    clients: [
      {
        client_id: SANDBOX_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'sandbox', use: 'sig', alg: 'RS256' } as never] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true, methods: ['S256'] },
    ttl: { Interaction: 600, Session: 3_600, Grant: 3_600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    scopes: SANDBOX_SCOPES,
    claims: {
      openid: ['sub'],
      profile: ['name'],
      samsyn: ['samsyn_role', 'care_unit_id', 'care_unit_name', 'organisation_id', 'organisation_name'],
    },
    // Scope claims go into the ID token too, as several national providers do.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const user = users.find((u) => u.userId === sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          name: user.displayName,
          samsyn_role: user.role,
          care_unit_id: user.careUnit.id,
          care_unit_name: user.careUnit.name,
          organisation_id: user.organisation.id,
          organisation_name: user.organisation.name,
        }),
      };
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><meta charset="utf-8"><title>Error</title><p>${escapeHtml(String(out.error))}</p>`;
    },
  };
  const provider = new Provider(issuer, configuration);
  const oidcHandler = provider.callback();
  const issued: string[] = [];
  // An opaque access token's value is its id: 'saved' when stored, 'issued' when self-contained.
  for (const event of ['access_token.saved', 'access_token.issued']) provider.on(event, (token: { jti: string }) => issued.push(token.jti));

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) {
      res.writeHead(400).end();
      return;
    }
    if (details.prompt.name === 'consent') {
      // A sandbox: the Samsyn client is trusted, so consent (always asked of a native client) is given at once.
      const grant = new provider.Grant({ clientId: String(details.params.client_id), accountId: details.session!.accountId });
      grant.addOIDCScope(String(details.params.scope ?? 'openid'));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    if (req.method === 'GET' && !action) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(loginPage(uid, users));
      return;
    }
    if (req.method === 'POST' && action === 'login') {
      const login = (await readForm(req)).get('login') ?? '';
      const user = users.find((u) => u.userId === login);
      if (!user) {
        await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'unknown user' });
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: user.userId } }, { mergeWithLastSubmission: false });
      return;
    }
    res.writeHead(405).end();
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login))?$/.exec(new URL(req.url ?? '/', issuer).pathname);
    if (match) {
      interaction(req, res, match[1]!, match[2]).catch(() => {
        if (!res.headersSent) res.writeHead(400, { 'Content-Type': 'text/plain' });
        res.end('interaction failed');
      });
      return;
    }
    void oidcHandler(req, res);
  });

  return {
    issuer,
    clientId: SANDBOX_CLIENT_ID,
    users,
    issuedAccessTokens: () => [...issued],
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
