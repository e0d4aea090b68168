/**
 * Every fault issue 14's probes name is shown in words in each language, not
 * as a bare code (docs/issue-14-probes.md): a full disk, a read-only cache, an empty or
 * foreign cache moved aside, and the drop folder's per-file reasons (too
 * large, a link, not a regular file, never finished, read-only folder), plus
 * the set-aside caches' existence. A file quarantined for too many segments
 * is not said to be "over the size limit" nor "not read" (it was read and
 * counted): the words name every limit the code is used for.
 */
import { createElement as h, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { CacheNotice } from '../../../../src/renderer/components/CacheNotice';
import { SourceChip } from '../../../../src/renderer/components/SourceChip';
import { createI18n } from '../../../../src/renderer/i18n/createI18n';
import type { Language } from '../../../../src/renderer/i18n/languages';
import { createSamsynStore } from '../../../../src/renderer/store/samsynStore';
import { StoreProvider } from '../../../../src/renderer/store/StoreProvider';
import type { ErrorCode } from '../../../../src/shared/errors';

const LANGUAGES: Language[] = ['sv', 'nb', 'fi', 'en'];

function text(node: ReactElement, language: Language): string {
  const store = createSamsynStore({ bridge: { invoke: async () => ({ ok: false, error: { code: 'INTERNAL' } }), on: () => () => undefined }, language });
  const html = renderToStaticMarkup(h(I18nextProvider, { i18n: createI18n(language) }, h(StoreProvider, { store, children: node })));
  return html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Words, not a code or a missing key: no CODE_LIKE_THIS, no i18n key path, no {{placeholder}}. */
function expectWords(shown: string): void {
  expect(shown).not.toMatch(/\b[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+\b/);
  expect(shown).not.toMatch(/\b(?:errors|sources|cache|settings)\.[A-Za-z]/);
  expect(shown).not.toContain('{{');
  expect(shown.length).toBeGreaterThan(20);
}

describe('the faults of issue 14 in words', () => {
  const cacheCodes: ErrorCode[] = ['CACHE_DISK_FULL', 'CACHE_READ_ONLY', 'CACHE_NOT_A_CACHE', 'CACHE_KEY_INVALID', 'CACHE_CORRUPT'];
  const folderCodes: ErrorCode[] = ['HL7_FILE_TOO_LARGE', 'HL7_FILE_LINK', 'HL7_FILE_NOT_REGULAR', 'HL7_FILE_INCOMPLETE', 'HL7_FOLDER_READ_ONLY', 'HL7_FOLDER_DISK_FULL'];
  for (const language of LANGUAGES) {
    it(`the cache's faults, live and set aside (${language})`, () => {
      for (const code of cacheCodes) {
        expectWords(text(h(CacheNotice, { notice: { available: true, error: code } }), language));
        expectWords(text(h(CacheNotice, { notice: { available: true, error: code, setAside: true } }), language));
        expectWords(text(h(CacheNotice, { notice: { available: false, error: code } }), language));
      }
    });
    it(`the drop folder's per-file reasons, with their count (${language})`, () => {
      for (const code of folderCodes) {
        const shown = text(h(SourceChip, { status: { sourceId: 'lab', name: 'Lab', state: 'ok', itemCount: 2, notes: [{ code, count: 3 }], waiting: 1 } }), language);
        expectWords(shown);
        expect(shown).toContain('(3)');
      }
    });
    it(`the set-aside caches' existence (${language})`, () => {
      const i18n = createI18n(language);
      expectWords(i18n.t('settings.setAside', { count: 2, hours: 12 }));
      expect(i18n.t('settings.setAside', { count: 2, hours: 12 })).toContain('12');
    });
  }

  it('a file over a limit names the segments limit too, and is not said to be unread', () => {
    const words: Record<Language, { segments: RegExp; unread: RegExp }> = {
      sv: { segments: /segment/, unread: /utan att läsas/ },
      nb: { segments: /segmenter/, unread: /uten å bli lest/ },
      fi: { segments: /segmentit/, unread: /lukematta/ },
      en: { segments: /segments/, unread: /without being read/ },
    };
    for (const language of LANGUAGES) {
      const shown = text(h(SourceChip, { status: { sourceId: 'lab', name: 'Lab', state: 'ok', itemCount: 0, notes: [{ code: 'HL7_FILE_TOO_LARGE', count: 1 }] } }), language);
      expect(shown).toMatch(words[language].segments);
      expect(shown).not.toMatch(words[language].unread);
    }
  });
});
