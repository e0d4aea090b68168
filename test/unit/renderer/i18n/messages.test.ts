import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../../src/shared/errors';
import { SECTION_KEYS } from '../../../../src/shared/summary';
import { LANGUAGES } from '../../../../src/renderer/i18n/languages';
import { MESSAGES } from '../../../../src/renderer/i18n/resources';
import { createI18n } from '../../../../src/renderer/i18n/createI18n';

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('interface languages', () => {
  const reference = leaves(MESSAGES.sv as unknown as Tree);

  it.each(LANGUAGES)('%s has exactly the same keys as Swedish', (language) => {
    const keys = [...leaves(MESSAGES[language] as unknown as Tree).keys()].sort();
    expect(keys).toEqual([...reference.keys()].sort());
  });

  it.each(LANGUAGES)('%s uses the same placeholders as Swedish in every text, and none is blank', (language) => {
    for (const [key, text] of leaves(MESSAGES[language] as unknown as Tree)) {
      expect(text.trim(), key).not.toBe('');
      expect(placeholders(text), key).toEqual(placeholders(reference.get(key) ?? ''));
    }
  });

  it.each(LANGUAGES)('%s has words for every error code', (language) => {
    const errors = MESSAGES[language].errors as Record<string, string>;
    for (const code of ERROR_CODES) expect(errors[code], code).toBeTruthy();
  });

  it.each(LANGUAGES)('%s has a title for every section', (language) => {
    const titles = MESSAGES[language].sections.titles as Record<string, string>;
    for (const key of SECTION_KEYS) expect(titles[key], key).toBeTruthy();
  });

  it('resolves plurals and interpolation through i18next in every language', () => {
    for (const language of LANGUAGES) {
      const i18n = createI18n(language);
      const items = MESSAGES[language].sources;
      expect(i18n.t('sources.items', { count: 1 })).toBe(items.items_one.replace('{{count}}', '1'));
      expect(i18n.t('sources.items', { count: 5 })).toBe(items.items_other.replace('{{count}}', '5'));
      expect(i18n.t('items.provenance', { source: 'Region Nord', date: '2024-03-05' })).toBe(
        MESSAGES[language].items.provenance.replace('{{source}}', 'Region Nord').replace('{{date}}', '2024-03-05'),
      );
    }
  });

  it('speaks to a nurse in Swedish by default', () => {
    const i18n = createI18n('sv');
    expect(i18n.t('errors.ID_BAD_CHECKSUM')).toBe('Kontrollsiffran stämmer inte');
    expect(i18n.t('sections.titles.allergies')).toBe('Allergier och överkänslighet');
    expect(i18n.t('items.absence.allergies', { sources: 'Region Syd' })).toBe('Inga kända allergier (enligt Region Syd)');
  });
});
