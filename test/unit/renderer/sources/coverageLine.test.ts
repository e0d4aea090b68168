/**
 * What each source said about a section, under its heading: sources grouped
 * by what they said, a source that did not answer first, every source named
 * once, in all four languages.
 */
import { createElement as h } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { CoverageLine, type SectionContext } from '../../../../src/renderer/components/SectionPanel';
import { createI18n } from '../../../../src/renderer/i18n/createI18n';
import type { Language } from '../../../../src/renderer/i18n/languages';
import { createSamsynStore } from '../../../../src/renderer/store/samsynStore';
import { StoreProvider } from '../../../../src/renderer/store/StoreProvider';
import type { SourceCoverage } from '../../../../src/shared/summary';

function render(context: SectionContext, language: Language = 'sv'): string {
  const store = createSamsynStore({ bridge: { invoke: async () => ({ ok: false, error: { code: 'INTERNAL' } }), on: () => () => undefined }, language });
  const html = renderToStaticMarkup(h(I18nextProvider, { i18n: createI18n(language) }, h(StoreProvider, { store, children: h(CoverageLine, { section: 'allergies', context }) })));
  return html;
}
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();

const names = new Map([
  ['nord', 'Region Nord'],
  ['syd', 'Region Syd'],
  ['vest', 'Helse Vest'],
  ['kommun', 'Kommun Väst'],
]);
const coverage: SourceCoverage[] = [
  { sourceId: 'nord', sections: { allergies: 'noneKnown' } },
  { sourceId: 'syd', sections: { allergies: 'noInformation' } },
  { sourceId: 'vest', sections: { allergies: 'noInformation', medications: 'items' } },
  { sourceId: 'kommun', sections: { allergies: 'notAnswered' } },
];
const context: SectionContext = { unanswered: [], noneAnswered: false, coverage, names };

describe('the coverage line of a section', () => {
  it('groups sources by what they said, a source that did not answer first', () => {
    expect(text(render(context))).toBe('Svarade inte: Kommun Väst · Inga kända: Region Nord · Ingen information: Region Syd, Helse Vest');
    const html = render(context);
    expect([...html.matchAll(/data-coverage-state="([a-zA-Z]+)"/g)].map((m) => m[1])).toEqual(['notAnswered', 'noneKnown', 'noInformation']);
  });

  it('names every source that said something about the section exactly once, and none that said nothing', () => {
    const many: SourceCoverage[] = Array.from({ length: 9 }, (_, i) => ({ sourceId: `s${i}`, sections: { allergies: 'noInformation' } }));
    const line = text(render({ ...context, coverage: [...many, { sourceId: 'other', sections: { medications: 'items' } }], names: new Map() }));
    expect(line).toBe(`Ingen information: ${many.map((c) => c.sourceId).join(', ')}`);
    expect(line).not.toContain('other');
  });

  it('is left out when no source said anything about the section', () => {
    expect(render({ ...context, coverage: [{ sourceId: 'vest', sections: { medications: 'items' } }] })).toBe('');
  });

  const words: Record<Language, string> = {
    sv: 'Svarade inte: Kommun Väst · Inga kända: Region Nord · Ingen information: Region Syd, Helse Vest',
    nb: 'Svarte ikke: Kommun Väst · Ingen kjente: Region Nord · Ingen informasjon: Region Syd, Helse Vest',
    fi: 'Ei vastannut: Kommun Väst · Ei tunnettuja: Region Nord · Ei tietoa: Region Syd, Helse Vest',
    en: 'Did not answer: Kommun Väst · None known: Region Nord · No information: Region Syd, Helse Vest',
  };
  for (const [language, expected] of Object.entries(words) as [Language, string][]) {
    it(`reads in ${language}`, () => {
      expect(text(render(context, language))).toBe(expected);
    });
  }
});
