/**
 * OpenID Connect sign-in from the preview's own button (issue 10): the
 * renderer opens the sandbox identity provider in a new tab (the system
 * browser's stand-in), the user is chosen there, the loopback redirect
 * completes the sign-in in the main process, and the pushed session change
 * shows the user in the header. No token reaches the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oidcSettingsSchema } from '../../src/main/auth/oidcProvider';
import { SANDBOX_SCOPES, startIdentitySandbox, type IdentitySandbox } from '../../src/main/sandbox/identityProvider';
import { startStack, type Stack } from './stack';

let idp: IdentitySandbox;
let stack: Stack;

beforeAll(async () => {
  idp = await startIdentitySandbox();
  stack = await startStack({
    signedIn: false,
    session: {
      identity: oidcSettingsSchema.parse({ provider: 'oidc', name: 'Sandbox-IdP', issuer: idp.issuer, clientId: idp.clientId, scopes: SANDBOX_SCOPES }),
    },
    sources: () => ({ adapters: [] }),
  });
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await idp?.close();
});

describe('OpenID Connect sign-in in the preview', () => {
  it('signs in through the identity provider tab and shows the user in the header', async () => {
    const { page } = stack;
    const bodies: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/api/')) void r.text().then((t) => bodies.push(t), () => undefined);
    });
    await page.goto(stack.preview.url);
    const button = page.getByTestId('sign-in-oidc');
    await button.waitFor();
    expect(await button.innerText()).toBe('Logga in med Sandbox-IdP');
    const [idpTab] = await Promise.all([page.context().waitForEvent('page'), button.click()]);
    await idpTab.locator('button[data-user="ingrid.nurse"]').click();
    await idpTab.getByText('Signed in to Samsyn').waitFor();
    await idpTab.close();
    const banner = page.getByTestId('user-banner');
    await banner.waitFor();
    expect(await banner.getByTestId('user-name').innerText()).toBe('Ingrid Haugen');
    expect(await banner.getByTestId('user-organisation').innerText()).toBe('Nordbyen kommune');
    await page.getByTestId('patient-input').waitFor();

    const tokens = idp.issuedAccessTokens();
    expect(tokens.length).toBeGreaterThan(0);
    const seen = bodies.join('\n') + (await page.content());
    for (const token of tokens) expect(seen).not.toContain(token);
    expect(seen).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  }, 90_000);
});
