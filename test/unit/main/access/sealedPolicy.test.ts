import { describe, expect, it } from 'vitest';
import { applyAccessPolicy, revealRefusal, type AccessContext, type SourceAccessRules } from '../../../../src/main/access/sealedPolicy';
import type { ClinicalItem } from '../../../../src/shared/summary';

const item = (sourceId: string, sealed: boolean, text = 'x'): ClinicalItem => ({
  section: 'problems',
  codes: [],
  text,
  sealed,
  details: {},
  provenance: { sourceId, sourceName: sourceId, recordId: `Condition/${text}`, fetchedAt: '2026-11-25T10:00:00Z' },
});

const RULES: Record<string, SourceAccessRules> = {
  se: { law: 'SE', consentRequired: false },
  no: { law: 'NO', consentRequired: false },
  fi: { law: 'FI', consentRequired: false },
  npo: { law: 'SE', consentRequired: true },
};
const rulesOf = (id: string) => RULES[id] as SourceAccessRules;
const ctx = (over: Partial<AccessContext> = {}): AccessContext => ({ purpose: 'care', consent: false, revealed: new Map(), ...over });

const ITEMS = [item('se', false, 'a'), item('se', true, 'b'), item('no', true, 'c'), item('no', true, 'd'), item('fi', true, 'e'), item('fi', false, 'f'), item('npo', false, 'g')];
const texts = (items: ClinicalItem[]) => items.map((i) => i.text).sort();

describe('sealed information per source country', () => {
  it('hides every sealed item; counts Swedish and Norwegian ones, never Finnish; names only Norwegian holders in ordinary care', () => {
    const { visible, notice } = applyAccessPolicy(ITEMS, rulesOf, ctx({ consent: true }));
    expect(texts(visible)).toEqual(['a', 'f', 'g']);
    expect(notice.hidden).toBe(3);
    expect(notice.holders).toEqual([{ sourceId: 'no', law: 'NO', revealableWith: ['consent', 'emergency'] }]);
    expect(notice.revealed).toEqual([]);
  });

  it('names the Swedish care units holding sealed information in an emergency with consent, never the Finnish', () => {
    const { notice } = applyAccessPolicy(ITEMS, rulesOf, ctx({ purpose: 'emergency', consent: true }));
    expect(notice.holders.map((h) => h.sourceId).sort()).toEqual(['no', 'se']);
    expect(notice.holders.find((h) => h.sourceId === 'se')?.revealableWith).toEqual(['consent']);
    expect(applyAccessPolicy(ITEMS, rulesOf, ctx({ purpose: 'emergency' })).notice.holders.map((h) => h.sourceId)).toEqual(['no']);
  });

  it('opens a Norwegian source’s sealed items in a declared emergency; a Swedish one only with consent; a Finnish one never', () => {
    const emergency = applyAccessPolicy(ITEMS, rulesOf, ctx({ purpose: 'emergency', revealed: new Map([['no', 'emergency'], ['se', 'emergency'], ['fi', 'emergency']]) }));
    expect(texts(emergency.visible)).toEqual(['a', 'c', 'd', 'f', 'g']);
    expect(emergency.notice.revealed).toEqual(['no']);
    expect(emergency.notice.hidden).toBe(1);
    const consent = applyAccessPolicy(ITEMS, rulesOf, ctx({ consent: true, revealed: new Map([['se', 'consent'], ['fi', 'consent']]) }));
    expect(texts(consent.visible)).toEqual(['a', 'b', 'f', 'g']);
    expect(consent.notice.revealed).toEqual(['se']);
    expect(revealRefusal('SE', 'emergency', { consent: false })).toBe('ACCESS_CONSENT_REQUIRED');
    expect(revealRefusal('SE', 'consent', { consent: false })).toBe('ACCESS_CONSENT_REQUIRED');
    expect(revealRefusal('SE', 'consent', { consent: true })).toBeUndefined();
    expect(revealRefusal('NO', 'emergency', { consent: false })).toBeUndefined();
    expect(revealRefusal('NO', 'consent', { consent: false })).toBe('ACCESS_CONSENT_REQUIRED');
    expect(revealRefusal('FI', 'consent', { consent: true })).toBe('SEALED_NOT_REVEALABLE');
  });

  it('withholds a consent-requiring source’s items until consent is recorded, and gives them in an emergency', () => {
    const without = applyAccessPolicy(ITEMS, rulesOf, ctx());
    expect(texts(without.visible)).toEqual(['a', 'f']);
    expect(without.notice.consentNeeded).toEqual(['npo']);
    expect(texts(applyAccessPolicy(ITEMS, rulesOf, ctx({ consent: true })).visible)).toContain('g');
    expect(texts(applyAccessPolicy(ITEMS, rulesOf, ctx({ purpose: 'emergency' })).visible)).toContain('g');
  });
});
