/**
 * The bytes of a Result sent over HTTP: ASCII-only JSON, and for a summary
 * answered from the cache the stored sections spliced in as they are, so the
 * heaviest part of the answer is neither parsed nor serialized again.
 */
import type { Result } from '../../shared/errors';
import { toAsciiJson } from '../cache/asciiJson';
import { untouchedSectionsJson } from '../summary/storedSections';

export function encodeResult(result: Result<unknown>): Buffer {
  const sections = result.ok ? untouchedSectionsJson(result.value) : undefined;
  if (!result.ok || !sections) return Buffer.from(toAsciiJson(result), 'latin1');
  // Every other field, copied by key: a spread would read (and parse) `sections`.
  const value = result.value as Record<string, unknown>;
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(value)) if (key !== 'sections') rest[key] = value[key];
  const head = toAsciiJson(rest);
  const open = head === '{}' ? '{"ok":true,"value":{"sections":' : `{"ok":true,"value":${head.slice(0, -1)},"sections":`;
  return Buffer.concat([Buffer.from(open, 'latin1'), sections, Buffer.from('}}', 'latin1')]);
}
