/**
 * A source whose answer passed a limit (SOURCE_RESPONSE_TOO_LARGE) says which
 * limit and its value in words, in all four languages — e.g. "more than
 * 100,000 records" — not only that the answer was too large (issue 14 probe,
 * docs/issue-14-probes.md). Without the limit in the status the generic words remain.
 */
import { createElement as h } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { SourceChip } from '../../../../src/renderer/components/SourceChip';
import { createI18n } from '../../../../src/renderer/i18n/createI18n';
import type { Language } from '../../../../src/renderer/i18n/languages';
import type { SourceStatusView } from '../../../../src/renderer/model/types';
import { createSamsynStore } from '../../../../src/renderer/store/samsynStore';
import { StoreProvider } from '../../../../src/renderer/store/StoreProvider';

function render(status: SourceStatusView, language: Language): string {
  const store = createSamsynStore({ bridge: { invoke: async () => ({ ok: false, error: { code: 'INTERNAL' } }), on: () => () => undefined }, language });
  const html = renderToStaticMarkup(h(I18nextProvider, { i18n: createI18n(language) }, h(StoreProvider, { store, children: h(SourceChip, { status }) })));
  // Numbers are grouped with a (narrow) no-break space in sv, nb and fi: compared as plain spaces.
  return html.replace(/<[^>]+>/g, ' ').replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');
}

const failed: SourceStatusView = { sourceId: 'nord', name: 'Region Nord', state: 'failed', error: 'SOURCE_RESPONSE_TOO_LARGE', itemCount: 0, ms: 40 };

describe('an answer over a limit, in words with the limit', () => {
  const words: Record<Language, { items: string; bytes: string; segments: string; generic: string }> = {
    sv: { items: 'fler än 100 000 poster', bytes: 'mer än 32 MiB', segments: 'fler än 50 000 segment', generic: 'Svaret från systemet var större än gränsen och lästes inte' },
    nb: { items: 'flere enn 100 000 oppføringer', bytes: 'mer enn 32 MiB', segments: 'flere enn 50 000 segmenter', generic: 'Svaret fra systemet var større enn grensen og ble ikke lest' },
    fi: { items: 'yli 100 000 tietuetta', bytes: 'yli 32 MiB', segments: 'yli 50 000 segmenttiä', generic: 'Järjestelmän vastaus ylitti kokorajan, eikä sitä luettu' },
    en: { items: 'more than 100,000 records', bytes: 'more than 32 MiB', segments: 'more than 50,000 segments', generic: 'The system’s response was over the size limit and was not read' },
  };
  for (const [language, expected] of Object.entries(words) as [Language, (typeof words)[Language]][]) {
    it(`names the limit and its value (${language})`, () => {
      expect(render({ ...failed, limit: { name: 'items', max: 100_000 } }, language)).toContain(expected.items);
      expect(render({ ...failed, limit: { name: 'bytes', max: 32 * 1024 * 1024 } }, language)).toContain(expected.bytes);
      expect(render({ ...failed, limit: { name: 'segments', max: 50_000 } }, language)).toContain(expected.segments);
      // A cached copy whose refresh passed the limit says it too.
      expect(render({ ...failed, state: 'cached', fetchedAt: new Date().toISOString(), limit: { name: 'items', max: 100_000 } }, language)).toContain(expected.items);
    });
    it(`keeps the generic words when no limit is known (${language})`, () => {
      const text = render(failed, language);
      expect(text).toContain(expected.generic);
      expect(text).not.toContain('{{');
    });
  }
  it('has words for every limit a status can name, in every language', () => {
    for (const language of ['sv', 'nb', 'fi', 'en'] as const) {
      for (const name of ['items', 'entries', 'bytes', 'segments', 'continuations'] as const) {
        const text = render({ ...failed, limit: { name, max: name === 'bytes' ? 7 * 1_048_576 : 7 } }, language);
        expect(text).toContain('7');
        expect(text).not.toContain('sources.tooLarge');
      }
    }
  });
});
