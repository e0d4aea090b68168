/**
 * The bytes of a Result sent over HTTP: ASCII-only JSON, and for a summary
 * answered from the cache (a pre-serialized envelope) the stored sections
 * spliced in as they are, so the heaviest part of the answer is neither parsed
 * nor serialized again.
 */
import type { Result } from '../../shared/errors';
import { asciiJsonBytes, toAsciiJson } from '../cache/asciiJson';
import { isPreserialized } from '../summary/summaryAnswer';

export function encodeResult(result: Result<unknown>): Buffer {
  if (!result.ok || !isPreserialized(result.value)) return asciiJsonBytes(result);
  const { head, sectionsJson } = result.value;
  const json = toAsciiJson(head);
  const open = json === '{}' ? '{"ok":true,"value":{"sections":' : `{"ok":true,"value":${json.slice(0, -1)},"sections":`;
  return Buffer.concat([Buffer.from(open, 'latin1'), sectionsJson, Buffer.from('}}', 'latin1')]);
}
