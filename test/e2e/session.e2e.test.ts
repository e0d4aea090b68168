/**
 * The shared workstation in the preview (issue 10): the app starts signed out
 * and offers the local directory's users; the signed-in user is always in the
 * header; the idle lock hides every patient view; another user signing in
 * finds no trace of the previous patient.
 */
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_LOCAL_USERS } from '../../src/main/auth/localDirectory';
import { openPatient, SCREENSHOTS, startStack, type Stack } from './stack';

const IDLE_SECONDS = 6;

let stack: Stack;
let page: Page;

beforeAll(async () => {
  stack = await startStack({
    signedIn: false,
    session: { session: { idleLockMinutes: 5, idleLockSeconds: IDLE_SECONDS } },
    sources: ({ nord, syd }) => ({
      config: {
        sources: [
          { id: 'region-nord', name: 'Region Nord', kind: 'fhir-r4', baseUrl: nord.url, timeoutMs: 5_000, pageSize: 500, enabled: true },
          { id: 'region-syd', name: 'Region Syd', kind: 'fhir-r4', baseUrl: syd.url, timeoutMs: 5_000, pageSize: 500, enabled: true },
        ],
      },
    }),
  });
  ({ page } = stack);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe('sign-in and the shared workstation in the preview', () => {
  it('starts signed out and offers every local user with role, care unit and organisation', async () => {
    await page.goto(stack.preview.url);
    await page.getByTestId('sign-in-view').waitFor();
    expect(await page.getByTestId('patient-input').count()).toBe(0);
    for (const user of BUILTIN_LOCAL_USERS) {
      const button = page.getByTestId(`sign-in-user-${user.userId}`);
      const text = await button.innerText();
      expect(text).toContain(user.displayName);
      expect(text).toContain(user.careUnit.name);
      expect(text).toContain(user.organisation.name);
    }
    expect(await page.getByTestId('sign-in-user-erik.homecare').innerText()).toContain('Kommunal omsorg');
  });

  it('signs in as a local user: the banner shows name, role, care unit and organisation', async () => {
    await page.getByTestId('sign-in-user-anna.nurse').click();
    const banner = page.getByTestId('user-banner');
    await banner.waitFor();
    expect(await banner.getByTestId('user-name').innerText()).toBe('Anna Lindqvist');
    expect(await banner.getByTestId('user-role').innerText()).toBe('Sjuksköterska');
    expect(await banner.getByTestId('user-unit').innerText()).toBe('Vårdcentralen Norrby');
    expect(await banner.getByTestId('user-organisation').innerText()).toBe('Region Nord');
    await page.getByTestId('patient-input').waitFor();
  });

  it('the lock button hides the patient view; another user signing in finds no patient', async () => {
    await openPatient(page, '19121212-1212');
    await page.getByTestId('patient-banner').waitFor();
    await page.getByTestId('session-lock').click();
    await page.getByTestId('lock-screen').waitFor();
    expect(await page.getByTestId('patient-banner').count()).toBe(0);
    expect(await page.getByTestId('patient-input').count()).toBe(0);
    expect(await page.locator('body').innerText()).not.toContain('Tolvan');
    // The user stays named on the lock screen; another one signs in.
    expect(await page.getByTestId('user-name').innerText()).toBe('Anna Lindqvist');
    await page.getByTestId('sign-in-user-erik.homecare').click();
    await page.getByTestId('patient-input').waitFor();
    expect(await page.getByTestId('user-name').innerText()).toBe('Erik Johansson');
    expect(await page.getByTestId('patient-input').inputValue()).toBe('');
    expect(await page.getByTestId('patient-banner').count()).toBe(0);
    expect(await page.locator('body').innerText()).not.toContain('Tolvan');
  });

  it(`locks by itself after ${IDLE_SECONDS} idle seconds, hiding the patient`, async () => {
    await openPatient(page, '19121212-1212');
    await page.getByTestId('patient-banner').waitFor();
    // Nobody touches the screen now.
    await page.getByTestId('lock-screen').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('patient-banner').count()).toBe(0);
    expect(await page.locator('body').innerText()).not.toContain('Tolvan');
    await page.screenshot({ path: join(SCREENSHOTS, 'session-locked.png') });
    // The services agree: a patient cannot be opened while locked.
    expect(await stack.services.handlers['summary.open']({ patient: '19121212-1212' })).toEqual({ ok: false, error: { code: 'SESSION_LOCKED' } });
  }, 90_000);

  it('signing out returns to the sign-in view', async () => {
    await page.getByTestId('sign-in-user-maria.dental').click();
    // The lock screen still names the locked user until the sign-in completes: wait for the new one.
    await page.getByTestId('user-banner').filter({ hasText: 'Maria Berg' }).waitFor();
    expect(await page.getByTestId('user-role').innerText()).toBe('Tandvård');
    await page.getByTestId('session-sign-out').click();
    await page.getByTestId('sign-in-view').waitFor();
    expect(await page.getByTestId('user-banner').count()).toBe(0);
  });
});
