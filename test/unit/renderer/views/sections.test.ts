import { describe, expect, it } from 'vitest';
import { SECTION_KEYS } from '../../../../src/shared/summary';
import { SECTIONS } from '../../../../src/renderer/views/sections';

describe('section configuration', () => {
  it('lists every section once, in IPS order, with its own title', () => {
    expect(SECTIONS.map((s) => s.key)).toEqual([...SECTION_KEYS]);
    for (const s of SECTIONS) expect(s.titleKey).toBe(`sections.titles.${s.key}`);
  });

  it('puts alerts and allergies first and marks them as priority', () => {
    expect(SECTIONS.filter((s) => s.priority).map((s) => s.key)).toEqual(['alerts', 'allergies']);
  });
});
