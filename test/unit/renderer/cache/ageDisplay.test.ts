/**
 * The renderer's age display: the age arithmetic, and the source chip and item
 * provenance as rendered (react-dom/server), in Swedish and English.
 */
import { createElement as h, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { ItemProvenance } from '../../../../src/renderer/components/ItemProvenance';
import { SourceChip } from '../../../../src/renderer/components/SourceChip';
import { createI18n } from '../../../../src/renderer/i18n/createI18n';
import type { Language } from '../../../../src/renderer/i18n/languages';
import { ageParts, oldest } from '../../../../src/renderer/model/age';
import type { SourceStatusView } from '../../../../src/renderer/model/types';
import { createSamsynStore } from '../../../../src/renderer/store/samsynStore';
import { StoreProvider } from '../../../../src/renderer/store/StoreProvider';

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;

function render(node: ReactElement, language: Language = 'sv'): string {
  const store = createSamsynStore({ bridge: { invoke: async () => ({ ok: false, error: { code: 'INTERNAL' } }), on: () => () => undefined }, language });
  const html = renderToStaticMarkup(h(I18nextProvider, { i18n: createI18n(language) }, h(StoreProvider, { store, children: node })));
  return html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('age arithmetic', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  it('uses whole minutes, rounded down, in minutes, hours or days', () => {
    expect(ageParts('2026-11-25T11:59:30Z', now)).toEqual({ unit: 'lessThanMinute' });
    expect(ageParts('2026-11-25T11:15:00Z', now)).toEqual({ unit: 'minutes', m: 45 });
    expect(ageParts('2026-11-25T08:47:01Z', now)).toEqual({ unit: 'hours', h: 3, m: 12 });
    expect(ageParts('2026-11-23T09:00:00Z', now)).toEqual({ unit: 'days', d: 2, h: 3 });
    // A source clock ahead of ours never gives a negative age.
    expect(ageParts('2026-11-25T12:05:00Z', now)).toEqual({ unit: 'lessThanMinute' });
    expect(ageParts('not a time', now)).toBeUndefined();
  });

  it('finds the oldest instant', () => {
    expect(oldest(['2026-11-25T10:00:00Z', undefined, '2026-11-25T08:00:00+01:00'])).toBe('2026-11-25T08:00:00+01:00');
    expect(oldest([])).toBeUndefined();
  });
});

describe('source chip', () => {
  const cachedFailed: SourceStatusView = {
    sourceId: 'region-nord',
    name: 'Region Nord',
    state: 'cached',
    error: 'SOURCE_UNREACHABLE',
    fetchedAt: ago(3 * HOUR + 12 * MIN + 5_000),
    itemCount: 14,
  };

  it('shows a cached source\'s age and that the refresh failed (Swedish)', () => {
    const text = render(h(SourceChip, { status: cachedFailed }));
    expect(text).toContain('Region Nord');
    expect(text).toContain('Sparad kopia');
    expect(text).toContain('3 h 12 min gammal');
    expect(text).toMatch(/Uppdatering misslyckades: Systemet gick inte att nå/);
  });

  it('in English too, and says so while refreshing', () => {
    const text = render(h(SourceChip, { status: { ...cachedFailed, error: undefined, refreshing: true, fetchedAt: ago(45 * MIN + 1_000) } }), 'en');
    expect(text).toContain('45 min old');
    expect(text).toContain('Fetching…');
  });

  it('a cached source with no saved copy says so, with no age', () => {
    const text = render(h(SourceChip, { status: { sourceId: 'x', name: 'Region Syd', state: 'cached', itemCount: 0, refreshing: true } }));
    expect(text).toContain('Ingen sparad kopia');
    expect(text).not.toContain('gammal');
  });

  it('a fresh source shows its age too', () => {
    const text = render(h(SourceChip, { status: { sourceId: 'x', name: 'Region Syd', state: 'ok', itemCount: 3, fetchedAt: ago(5_000) } }));
    expect(text).toContain('under 1 min gammal');
  });
});

describe('item provenance', () => {
  it('marks a cached item with its age and leaves a fresh one unmarked', () => {
    const text = render(
      h(ItemProvenance, {
        sources: [
          { sourceId: 'region-nord', sourceName: 'Region Nord', recordId: 'a', recordedAt: '2024-03-05', fetchedAt: ago(2 * HOUR + 30_000), cached: true },
          { sourceId: 'region-syd', sourceName: 'Region Syd', recordId: 'b', recordedAt: '2024-03-05', fetchedAt: ago(1_000) },
        ],
      }),
    );
    expect(text).toContain('sparad, 2 h 0 min gammal');
    expect(text.match(/sparad,/g)).toHaveLength(1);
  });
});
