/**
 * The event stream read chunk by chunk (issue 13): it parses only when a chunk
 * completes an event, and yields exactly the events parseEventStream finds in
 * the whole text, however the text is cut, "\r\n" line ends included.
 */
import { describe, expect, it } from 'vitest';
import { createEventStreamReader, parseEventStream, type StreamEvent } from '../../../../src/renderer/api/httpBridge';

const TEXT = ': connected\r\n\r\nevent: summary.updated\ndata: {"a":1}\n\n: ping\n\nevent: session.changed\r\ndata: {"b":"x\\ny"}\r\n\r\nevent: summary.updated\ndata: {"c":';

function readInPieces(cuts: number[]): StreamEvent[] {
  const reader = createEventStreamReader();
  const events: StreamEvent[] = [];
  let from = 0;
  for (const cut of [...cuts, TEXT.length]) {
    events.push(...reader.push(TEXT.slice(from, cut)));
    from = cut;
  }
  return events;
}

describe('event stream reader', () => {
  const whole = parseEventStream(TEXT).events;

  it('finds the events of the whole text, cut anywhere once or twice', () => {
    expect(whole).toHaveLength(2);
    for (let i = 0; i <= TEXT.length; i++) {
      expect(readInPieces([i])).toEqual(whole);
      for (let j = i; j <= TEXT.length; j += 7) expect(readInPieces([i, j])).toEqual(whole);
    }
  });

  it('finds them one character at a time, each as soon as its blank line arrives', () => {
    const reader = createEventStreamReader();
    const seen: number[] = [];
    for (let i = 0; i < TEXT.length; i++) if (reader.push(TEXT[i]!).length > 0) seen.push(i);
    expect(seen).toEqual([TEXT.indexOf('}\n\n') + 2, TEXT.indexOf('}\r\n\r\n') + 4]);
  });
});
