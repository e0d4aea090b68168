/**
 * The source chip while a source is being asked and after its deadline, and
 * the sticky header's age: rendered (react-dom/server) in all four languages.
 */
import { createElement as h, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { SourceChip } from '../../../../src/renderer/components/SourceChip';
import { createI18n } from '../../../../src/renderer/i18n/createI18n';
import type { Language } from '../../../../src/renderer/i18n/languages';
import { yearsOld } from '../../../../src/renderer/model/age';
import type { SourceStatusView } from '../../../../src/renderer/model/types';
import { createSamsynStore } from '../../../../src/renderer/store/samsynStore';
import { StoreProvider } from '../../../../src/renderer/store/StoreProvider';

function render(node: ReactElement, language: Language): string {
  const store = createSamsynStore({ bridge: { invoke: async () => ({ ok: false, error: { code: 'INTERNAL' } }), on: () => () => undefined }, language });
  const html = renderToStaticMarkup(h(I18nextProvider, { i18n: createI18n(language) }, h(StoreProvider, { store, children: node })));
  return html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

const pending: SourceStatusView = { sourceId: 'hung', name: 'Region Tyst', state: 'pending', itemCount: 0, deadlineMs: 8_000 };
const timedOut: SourceStatusView = { ...pending, state: 'timeout', error: 'SOURCE_TIMEOUT', ms: 8_004 };

describe('a source being asked', () => {
  const words: Record<Language, { waiting: RegExp; deadline: string }> = {
    sv: { waiting: /Väntar på svar Väntat 3 s/, deadline: 'Tidsgränsen (8 s) passerade utan svar' },
    nb: { waiting: /Venter på svar Ventet 3 s/, deadline: 'Tidsfristen (8 s) gikk ut uten svar' },
    fi: { waiting: /Odottaa vastausta Odotettu 3 s/, deadline: 'Aikaraja (8 s) ylittyi ilman vastausta' },
    en: { waiting: /Waiting for an answer Waited 3 s/, deadline: 'Deadline (8 s) passed without an answer' },
  };
  for (const [language, expected] of Object.entries(words) as [Language, (typeof words)[Language]][]) {
    it(`shows a spinner with the seconds waited, then the deadline in words (${language})`, () => {
      const waiting = render(h(SourceChip, { status: pending, openedAt: Date.now() - 3_400 }), language);
      expect(waiting).toMatch(expected.waiting);
      // No item count or response time before it has answered.
      expect(waiting).not.toMatch(/\b0\b/);
      const ended = render(h(SourceChip, { status: timedOut, openedAt: Date.now() - 8_100 }), language);
      expect(ended).toContain(expected.deadline);
      expect(ended).not.toMatch(expected.waiting);
    });
  }

  it('a cached source still refreshing counts its wait too; without the open time it shows none', () => {
    const status: SourceStatusView = { sourceId: 'nord', name: 'Region Nord', state: 'cached', itemCount: 3, refreshing: true, fetchedAt: new Date().toISOString() };
    expect(render(h(SourceChip, { status, openedAt: Date.now() - 1_200 }), 'sv')).toContain('Väntat 1 s');
    expect(render(h(SourceChip, { status }), 'sv')).not.toContain('Väntat');
  });
});

describe('age in whole years', () => {
  const now = new Date(2026, 10, 30, 12, 0, 0);
  it('counts a birthday only once it is reached', () => {
    expect(yearsOld('1982-04-21', now)).toBe(44);
    expect(yearsOld('1982-11-30', now)).toBe(44);
    expect(yearsOld('1982-12-01', now)).toBe(43);
    expect(yearsOld('2026-12-01', now)).toBeUndefined();
    expect(yearsOld('unknown', now)).toBeUndefined();
  });
});
