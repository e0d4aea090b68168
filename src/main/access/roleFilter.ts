/**
 * The role filter: a summary as one role may receive it. Runs in the main
 * process on every summary before it leaves for the bridge (first answer,
 * pushed updates, cached answers) and before any export. Sections the role
 * does not receive are emptied, with their coverage and retraction counts;
 * sections limited to item kinds keep only items of those kinds. What was
 * withheld is never counted for the role (a count would tell what it holds).
 */
import { SECTION_KEYS, type SectionKey } from '../../shared/sections';
import type { MergedItem, Sections, Summary } from '../../shared/summary';
import { kindsOf } from './itemKinds';
import type { RoleProfile } from './roleProfiles';

/** True when the profile gives every section whole, in IPS order, with no marks: the summary passes unchanged. */
export function isWholeView(profile: RoleProfile): boolean {
  return (
    profile.sections.length === SECTION_KEYS.length &&
    profile.sections.every((s, i) => s === SECTION_KEYS[i]) &&
    Object.keys(profile.items ?? {}).length === 0 &&
    (profile.mark ?? []).length === 0
  );
}

function filterItems(section: SectionKey, items: readonly MergedItem[], profile: RoleProfile): MergedItem[] {
  const only = profile.items?.[section];
  const mark = profile.mark ?? [];
  const out: MergedItem[] = [];
  for (const item of items) {
    if (only && kindsOf(section, item.codes, only).length === 0) continue;
    const relevance = mark.length > 0 ? kindsOf(section, item.codes, mark) : [];
    out.push(relevance.length > 0 ? { ...item, relevance } : item);
  }
  return out;
}

export function filterForRole(summary: Summary, profile: RoleProfile): Summary {
  const view = { role: profile.id, sections: [...profile.sections], filtered: Object.keys(profile.items ?? {}) as SectionKey[] };
  if (isWholeView(profile)) return { ...summary, view };
  const allowed = new Set<SectionKey>(profile.sections);
  const sections = {} as Record<SectionKey, MergedItem[]>;
  for (const key of SECTION_KEYS) sections[key] = allowed.has(key) ? filterItems(key, summary.sections[key], profile) : [];
  const retracted = summary.retracted
    ? Object.fromEntries(Object.entries(summary.retracted).filter(([k]) => allowed.has(k as SectionKey) && !profile.items?.[k as SectionKey]))
    : undefined;
  const coverage = summary.coverage?.map((c) => ({
    sourceId: c.sourceId,
    sections: Object.fromEntries(
      Object.entries(c.sections)
        .filter(([k]) => allowed.has(k as SectionKey))
        .map(([k, state]) => {
          const key = k as SectionKey;
          // In a kind-limited section, a source whose entries were all withheld says "none of your kinds", not "has entries".
          if (state === 'items' && profile.items?.[key] && !sections[key].some((i) => i.sources.some((p) => p.sourceId === c.sourceId))) {
            return [k, 'noneOfKind'];
          }
          return [k, state];
        }),
    ),
  }));
  // Each source's count of records the role received: not of what it holds in sections the role never sees.
  const received = new Map<string, number>();
  for (const key of SECTION_KEYS) {
    for (const item of sections[key]) for (const p of item.sources) received.set(p.sourceId, (received.get(p.sourceId) ?? 0) + 1);
  }
  const sources = summary.sources.map((s) => (s.itemCount > 0 ? { ...s, itemCount: received.get(s.sourceId) ?? 0 } : s));
  return {
    ...summary,
    sources,
    sections: sections as Sections,
    ...(retracted ? { retracted } : {}),
    ...(coverage ? { coverage } : {}),
    view,
  };
}
