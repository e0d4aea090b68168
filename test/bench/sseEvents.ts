/**
 * The benches' reading of the preview's event stream (as the renderer reads
 * it): the data of each `summary.updated` event, in order, until the stream ends.
 */
export async function* summaryUpdates(reader: ReadableStreamDefaultReader<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.startsWith('event: summary.updated')) yield block.slice(block.indexOf('\ndata: ') + 7);
    }
  }
}
