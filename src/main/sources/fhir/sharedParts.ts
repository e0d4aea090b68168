/**
 * One object for every value-identical part of one answer's items (ADR 0033).
 *
 * A parsed FHIR answer gives every item its own copy of what many items
 * state alike: the same test's code list, reference range, interpretation
 * and performer; the same unit and value; the same text. The heavy patient's
 * 2,936 items held 6.0 MB that way (2 KB an item, as many small objects and
 * strings); held once per answer, they are about half of it, and the items
 * are what the services keep for as long as the patient is open.
 *
 * Items are never changed after they are built (the merge, the access policy
 * and the cache build new objects), so sharing is safe; the pool lives for one
 * answer only and is bounded.
 */
import type { ClinicalItem } from '../../../shared/summary';

/** Distinct parts (and strings) remembered per answer; past it, a part is kept as it is. */
const MAX_PARTS = 16_384;

/** Returns `share(item)`: the same item, its codes, details, value, text and status replaced by the answer's one copy of each. */
export function createPartPool(): (item: ClinicalItem) => ClinicalItem {
  const parts = new Map<string, unknown>();
  const strings = new Map<string, string>();
  const part = <T>(value: T): T => {
    const key = JSON.stringify(value);
    const known = parts.get(key);
    if (known !== undefined) return known as T;
    if (parts.size < MAX_PARTS) parts.set(key, value);
    return value;
  };
  const text = (s: string): string => {
    const known = strings.get(s);
    if (known !== undefined) return known;
    if (strings.size < MAX_PARTS) strings.set(s, s);
    return s;
  };
  return (item) => {
    const shared = item as { codes: unknown; details: unknown; value?: unknown; text: string; status?: string };
    if (item.codes.length > 0) shared.codes = part(item.codes);
    shared.details = part(item.details);
    if (typeof item.value === 'object') shared.value = part(item.value);
    else if (typeof item.value === 'string') shared.value = text(item.value);
    shared.text = text(item.text);
    if (item.status !== undefined) shared.status = text(item.status);
    return item;
  };
}
