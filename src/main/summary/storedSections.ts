/**
 * A summary answered from the cache carries its sections as the JSON the cache
 * stored (pure ASCII, see asciiJson). The preview sends those bytes as they
 * are; anyone who reads `summary.sections` (Electron's IPC, tests, the CLI)
 * gets them parsed on first access, once. Once read, the parsed object may be
 * changed by its reader, so the stored bytes are never used again after that.
 */
import type { Sections, Summary } from '../../shared/summary';

interface Holder {
  json: Buffer | undefined;
}

const stored = new WeakMap<object, Holder>();

/** `base` with a `sections` property backed by the stored JSON, parsed when first read. */
export function withStoredSections(base: Omit<Summary, 'sections'>, json: Buffer): Summary {
  const holder: Holder = { json };
  const summary = base as Summary;
  const settle = (value: Sections) => {
    holder.json = undefined;
    Object.defineProperty(summary, 'sections', { value, writable: true, enumerable: true, configurable: true });
    return value;
  };
  Object.defineProperty(summary, 'sections', {
    enumerable: true,
    configurable: true,
    get: () => settle(JSON.parse(json.toString('utf8')) as Sections),
    set: (value: Sections) => settle(value),
  });
  stored.set(summary, holder);
  return summary;
}

/** The stored sections JSON, when `summary.sections` has never been read or replaced. */
export function untouchedSectionsJson(summary: unknown): Buffer | undefined {
  if (typeof summary !== 'object' || summary === null) return undefined;
  return stored.get(summary)?.json;
}
