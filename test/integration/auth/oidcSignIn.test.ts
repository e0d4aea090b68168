/**
 * Sign-in through OpenID Connect end to end (issue 10 item 1): the sandbox
 * identity provider on 127.0.0.1, the app's OIDC provider on openid-client,
 * the loopback redirect, real Chromium as the system browser. Asserts the
 * signed-in user from the claims, and that no token appears in anything the
 * bridge answers or pushes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../src/main/app/createServices';
import { oidcSettingsSchema, createOidcIdentityProvider, type OidcIdentityProvider } from '../../../src/main/auth/oidcProvider';
import { createSessionManager } from '../../../src/main/auth/sessionManager';
import { createLogger } from '../../../src/main/platform/logger';
import { SANDBOX_SCOPES, startIdentitySandbox, type IdentitySandbox } from '../../../src/main/sandbox/identityProvider';
import { launchBrowser, type Browser } from '../../e2e/browser';

let idp: IdentitySandbox;
let browser: Browser;
let provider: OidcIdentityProvider;
let services: Services;
/** Everything the bridge handed out: answers and pushed events, as sent. */
const bridgeOutput: string[] = [];

beforeAll(async () => {
  idp = await startIdentitySandbox();
  const clock = { now: () => new Date() };
  const logger = createLogger('test');
  provider = createOidcIdentityProvider(
    oidcSettingsSchema.parse({ provider: 'oidc', name: 'Sandbox-IdP', issuer: idp.issuer, clientId: idp.clientId, scopes: SANDBOX_SCOPES }),
    { clock, logger },
  );
  const session = createSessionManager({ provider, clock, logger });
  services = createServices({ config: { sources: [] }, session, clock, logger, transport: 'preview', version: 'test' });
  services.events.subscribe((event, payload) => bridgeOutput.push(`${event} ${JSON.stringify(payload)}`));
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await services?.session.close();
  await idp?.close();
});

async function call<C extends keyof Services['handlers']>(command: C, request: Parameters<Services['handlers'][C]>[0]) {
  const handler = services.handlers[command] as (r: typeof request) => Promise<unknown>;
  const answer = await handler(request);
  bridgeOutput.push(`${command} ${JSON.stringify(answer)}`);
  return answer as Awaited<ReturnType<Services['handlers'][C]>>;
}

describe('OpenID Connect sign-in against the sandbox identity provider', () => {
  it('starts signed out; a patient needs a signed-in user', async () => {
    const view = await call('session.get', {});
    expect(view).toMatchObject({ ok: true, value: { locked: false, provider: { kind: 'oidc', name: 'Sandbox-IdP' }, pending: false } });
    expect(view.ok && view.value.user).toBeFalsy();
    expect(await call('summary.open', { patient: '19121212-1212', purpose: 'care' })).toEqual({ ok: false, error: { code: 'AUTH_REQUIRED' } });
  });

  it('signs in with authorization code + PKCE through the browser and the loopback redirect', async () => {
    const started = await call('session.signIn', {});
    if (!started.ok) throw new Error(started.error.code);
    const url = new URL(started.value.authorizationUrl!);
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(started.value.session.pending).toBe(true);

    const changed = new Promise<void>((resolve) => {
      const stop = services.session.onChange((view) => {
        if (view.user) {
          stop();
          resolve();
        }
      });
    });
    const page = await browser.context.newPage();
    await page.goto(url.href);
    await page.locator('button[data-user="erik.homecare"]').click();
    await page.getByText('Signed in to Samsyn').waitFor();
    await changed;
    await page.close();

    const view = await call('session.get', {});
    if (!view.ok) throw new Error(view.error.code);
    expect(view.value.user).toMatchObject({
      userId: 'erik.homecare',
      displayName: 'Erik Johansson',
      role: 'municipalCare',
      careUnit: { id: 'hemtjanst-vast', name: 'Hemtjänsten Väst' },
      organisation: { id: 'kommun-vast', name: 'Kommun Väst' },
      provider: 'Sandbox-IdP',
    });
    expect(view.value.pending).toBe(false);
    expect(provider.holdsTokens()).toBe(true);
    // A patient may be opened now (no sources: an empty summary, not a sign-in error).
    const opened = await call('summary.open', { patient: '19121212-1212', purpose: 'care' });
    expect(opened.ok).toBe(true);
  }, 60_000);

  it('no token appears in anything the bridge returned or pushed', () => {
    const tokens = idp.issuedAccessTokens();
    expect(tokens.length).toBeGreaterThan(0);
    const all = bridgeOutput.join('\n');
    expect(all).toContain('session.changed');
    for (const token of tokens) expect(all).not.toContain(token);
    expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./); // no JWT (ID token)
    expect(all).not.toMatch(/access_token|id_token|refresh_token|code_verifier/);
  });

  it('signing out drops the tokens; patients need a sign-in again', async () => {
    await call('session.signOut', {});
    expect(provider.holdsTokens()).toBe(false);
    expect(await call('summary.open', { patient: '19121212-1212', purpose: 'care' })).toEqual({ ok: false, error: { code: 'AUTH_REQUIRED' } });
  });

  it('the sandbox refuses an authorization request without PKCE', async () => {
    const url = new URL('/auth', idp.issuer);
    url.search = new URLSearchParams({
      client_id: idp.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: 'http://127.0.0.1:9/callback',
      state: 'x',
    }).toString();
    const res = await fetch(url, { redirect: 'manual' });
    const location = new URL(res.headers.get('location') ?? '', idp.issuer);
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });
});
