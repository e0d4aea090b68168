/** OIDC claims → SignedInUser by the configured claim names; local directory users. */
import { describe, expect, it } from 'vitest';
import { claimMappingSchema, mapClaims } from '../../../../src/main/auth/claimMapping';
import { BUILTIN_LOCAL_USERS, createLocalDirectory } from '../../../../src/main/auth/localDirectory';
import { ConfigError, parseConfig, readConfig } from '../../../../src/main/app/config';
import { identitySettingsSchema, idleLockSeconds } from '../../../../src/main/auth/identitySettings';
import { signedInUserSchema } from '../../../../src/shared/session';

const now = new Date('2026-11-30T08:00:00Z');

describe('claim mapping', () => {
  it('maps the default claim names', () => {
    const user = mapClaims(
      { sub: 'u1', name: 'Kari Nordmann', samsyn_role: 'nurse', care_unit_id: 'c1', care_unit_name: 'Legevakt', organisation_id: 'o1', organisation_name: 'Oslo kommune' },
      claimMappingSchema.parse({}),
      { provider: 'HelseID', now },
    );
    expect(user).toEqual({
      userId: 'u1',
      displayName: 'Kari Nordmann',
      role: 'nurse',
      careUnit: { id: 'c1', name: 'Legevakt' },
      organisation: { id: 'o1', name: 'Oslo kommune' },
      provider: 'HelseID',
      signedInAt: now.toISOString(),
    });
    expect(signedInUserSchema.parse(user)).toEqual(user);
  });

  it('reads configured and nested claim names and maps role values', () => {
    const mapping = claimMappingSchema.parse({
      role: 'helseid://claims/role',
      careUnitId: 'unit.id',
      careUnitName: 'unit.name',
      organisationId: 'org.hsaId',
      organisationName: 'org.name',
      roles: { SSK: 'nurse' },
    });
    const user = mapClaims(
      { sub: 'u2', name: 'Eva', 'helseid://claims/role': 'SSK', unit: { id: 'u', name: 'Avd 1' }, org: { hsaId: 'SE123', name: 'Region X' } },
      mapping,
      { provider: 'SITHS', now },
    );
    expect(user).toMatchObject({ role: 'nurse', careUnit: { id: 'u', name: 'Avd 1' }, organisation: { id: 'SE123', name: 'Region X' } });
  });

  it('a missing claim is AUTH_CLAIMS_MISSING naming the field, not a value', () => {
    expect(() => mapClaims({ sub: 'u1', name: 'Secret Name' }, claimMappingSchema.parse({}), { provider: 'x', now })).toThrow(
      expect.objectContaining({ code: 'AUTH_CLAIMS_MISSING', params: { claim: 'role' } }),
    );
    try {
      mapClaims({ sub: 'u1', name: 'Secret Name' }, claimMappingSchema.parse({}), { provider: 'x', now });
    } catch (err) {
      expect((err as Error).message).not.toContain('Secret');
    }
  });
});

describe('local directory', () => {
  it('offers the built-in synthetic users: a nurse, a municipal home-care worker, dental staff', () => {
    const directory = createLocalDirectory({ clock: { now: () => now } });
    const users = directory.users()!;
    expect(users.map((u) => u.role)).toEqual(expect.arrayContaining(['nurse', 'municipalCare', 'dental']));
    expect(users).toHaveLength(BUILTIN_LOCAL_USERS.length);
    for (const u of users) expect(Object.keys(u).sort()).toEqual(['careUnit', 'displayName', 'organisation', 'role', 'userId']);
  });

  it('signs a listed user in at once and refuses anyone else', async () => {
    const directory = createLocalDirectory({ clock: { now: () => now } });
    await expect(directory.begin({ userId: 'maria.dental' })).resolves.toMatchObject({
      kind: 'done',
      user: { userId: 'maria.dental', role: 'dental', provider: 'local', signedInAt: now.toISOString() },
    });
    await expect(directory.begin({ userId: 'x' })).rejects.toMatchObject({ code: 'AUTH_USER_UNKNOWN' });
    await expect(directory.begin({})).rejects.toMatchObject({ code: 'AUTH_USER_UNKNOWN' });
  });

  it('a configured directory replaces the built-in one', async () => {
    const settings = identitySettingsSchema.parse({
      provider: 'local',
      users: [{ userId: 'sam', displayName: 'Sam Test', role: 'nurse', careUnit: { id: 'a', name: 'A' }, organisation: { id: 'b', name: 'B' } }],
    });
    if (settings.provider !== 'local') throw new Error('local expected');
    const directory = createLocalDirectory({ users: settings.users, clock: { now: () => now } });
    expect(directory.users()!.map((u) => u.userId)).toEqual(['sam']);
  });
});

describe('identity and session configuration', () => {
  it('reads an OIDC identity with defaults and the idle lock', () => {
    const config = parseConfig({
      sources: [],
      identity: { provider: 'oidc', issuer: 'https://idp.example', clientId: 'samsyn', claims: { role: 'helseid://claims/role' } },
      session: { idleLockMinutes: 2 },
    });
    expect(config.identity).toMatchObject({
      provider: 'oidc',
      name: 'OpenID Connect',
      scopes: ['openid', 'profile'],
      claims: { userId: 'sub', role: 'helseid://claims/role', careUnitId: 'care_unit_id' },
      signInTimeoutSeconds: 300,
    });
    expect(idleLockSeconds(config.session)).toBe(120);
    expect(idleLockSeconds(parseConfig({ sources: [], session: { idleLockSeconds: 3 } }).session)).toBe(3);
    expect(idleLockSeconds(parseConfig({ sources: [] }).session)).toBe(300);
  });

  it('refuses an identity block that is wrong, naming the path only', () => {
    let caught: unknown;
    try {
      readConfig({ sources: [], identity: { provider: 'oidc', issuer: 'not a url', clientId: 'secret-client' } });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const text = (caught as ConfigError).describe();
    expect(text).toContain('identity');
    expect(text).not.toContain('not a url');
    expect(text).not.toContain('secret-client');
  });
});
