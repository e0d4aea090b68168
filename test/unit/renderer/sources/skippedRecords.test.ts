/**
 * A source whose answer held records that could not be read (a FHIR resource
 * of the wrong shape): its chip says how many, in all four languages, beside
 * its other records' count (ADR 0033).
 */
import { createElement as h, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { SourceChip } from '../../../../src/renderer/components/SourceChip';
import { createI18n } from '../../../../src/renderer/i18n/createI18n';
import type { Language } from '../../../../src/renderer/i18n/languages';
import type { SourceStatusView } from '../../../../src/renderer/model/types';
import { createSamsynStore } from '../../../../src/renderer/store/samsynStore';
import { StoreProvider } from '../../../../src/renderer/store/StoreProvider';

function markup(node: ReactElement, language: Language): string {
  const store = createSamsynStore({ bridge: { invoke: async () => ({ ok: false, error: { code: 'INTERNAL' } }), on: () => () => undefined }, language });
  return renderToStaticMarkup(h(I18nextProvider, { i18n: createI18n(language) }, h(StoreProvider, { store, children: node })));
}

function render(status: SourceStatusView, language: Language): string {
  return markup(h(SourceChip, { status }), language).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

const answered: SourceStatusView = { sourceId: 'nord', name: 'Region Nord', state: 'ok', itemCount: 12, ms: 40, fetchedAt: new Date().toISOString() };

describe('records a source could not read', () => {
  const words: Record<Language, { one: string; three: string; items: string }> = {
    sv: { one: '1 post gick inte att läsa och visas inte', three: '3 poster gick inte att läsa och visas inte', items: '12 poster' },
    nb: { one: '1 post kunne ikke leses og vises ikke', three: '3 poster kunne ikke leses og vises ikke', items: '12 oppføringer' },
    fi: { one: '1 tietuetta ei voitu lukea, eikä sitä näytetä', three: '3 tietuetta ei voitu lukea, eikä niitä näytetä', items: '12' },
    en: { one: '1 record could not be read and is not shown', three: '3 records could not be read and are not shown', items: '12 entries' },
  };
  for (const [language, expected] of Object.entries(words) as [Language, (typeof words)[Language]][]) {
    it(`are counted in the source's status (${language})`, () => {
      const three = render({ ...answered, skipped: { code: 'SOURCE_BAD_RESPONSE', count: 3 } }, language);
      expect(three).toContain(expected.three);
      expect(three).toContain(expected.items);
      expect(render({ ...answered, skipped: { code: 'SOURCE_BAD_RESPONSE', count: 1 } }, language)).toContain(expected.one);
    });
  }

  it('are not mentioned when there are none', () => {
    const html = markup(h(SourceChip, { status: answered }), 'sv');
    expect(html).not.toContain('source-skipped');
    const marked = markup(h(SourceChip, { status: { ...answered, skipped: { code: 'SOURCE_BAD_RESPONSE', count: 2 } } }), 'sv');
    expect(marked).toContain('data-testid="source-skipped"');
    expect(marked).toContain('data-code="SOURCE_BAD_RESPONSE"');
  });
});
