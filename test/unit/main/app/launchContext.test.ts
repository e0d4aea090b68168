import { describe, expect, it } from 'vitest';
import { launchFromArgs, parseLaunchUrl } from '../../../../src/main/app/launchContext';

const TODAY = new Date('2026-11-25T10:00:00Z');

describe('launch in patient context', () => {
  it('reads samsyn://patient/<id> with the id validated like a typed one', () => {
    expect(parseLaunchUrl('samsyn://patient/19121212-1212', TODAY)).toEqual({ ok: true, value: { patient: '19121212-1212' } });
    expect(parseLaunchUrl('samsyn://patient/urn%3Aoid%3A1.2.752.129.2.1.3.1%7C191212121212', TODAY)).toEqual({
      ok: true,
      value: { patient: 'urn:oid:1.2.752.129.2.1.3.1|191212121212' },
    });
    // A bad check digit is refused with the same code as typed, never corrected.
    expect(parseLaunchUrl('samsyn://patient/19121212-1213', TODAY)).toMatchObject({ ok: false, error: { code: 'ID_BAD_CHECKSUM' } });
    expect(parseLaunchUrl('samsyn://patient/', TODAY)).toMatchObject({ ok: false });
    expect(parseLaunchUrl('samsyn://patient/a/b', TODAY)).toMatchObject({ ok: false, error: { code: 'IDENTIFIER_TOKEN_INVALID' } });
    expect(parseLaunchUrl('samsyn://patient/19121212-1212?name=x', TODAY)).toMatchObject({ ok: false });
    expect(parseLaunchUrl('samsyn://patient/%E0%A4%A', TODAY)).toMatchObject({ ok: false, error: { code: 'IDENTIFIER_TOKEN_INVALID' } });
    expect(parseLaunchUrl(`samsyn://patient/${'1'.repeat(400)}`, TODAY)).toMatchObject({ ok: false, error: { code: 'ID_BAD_LENGTH' } });
    // The app's own pages and other links are not launches.
    expect(parseLaunchUrl('samsyn://app/index.html', TODAY)).toBeUndefined();
    expect(parseLaunchUrl('https://patient/19121212-1212', TODAY)).toBeUndefined();
  });

  it('finds the launch in process arguments, the last one winning', () => {
    expect(launchFromArgs(['/opt/Samsyn/samsyn', '--patient', '19121212-1212'], TODAY)).toEqual({ ok: true, value: { patient: '19121212-1212' } });
    expect(launchFromArgs(['x', '--patient=19121212-1212'], TODAY)).toEqual({ ok: true, value: { patient: '19121212-1212' } });
    expect(launchFromArgs(['x', 'samsyn://patient/19121212-1212', '--patient', '20170101-2393'], TODAY)).toEqual({ ok: true, value: { patient: '20170101-2393' } });
    expect(launchFromArgs(['x', '--patient'], TODAY)).toMatchObject({ ok: false, error: { code: 'ID_EMPTY' } });
    expect(launchFromArgs(['x', '--inspect'], TODAY)).toBeUndefined();
  });
});
