/**
 * The paint and progressive benches' traces: main's summary.open handler
 * wrapped so each open's start and answer (epoch ms, comparable with the
 * page's and Chromium's clocks) are recorded in `sink`.
 */
import type { Services } from '../../src/main/app/createServices';

export interface HandlerSpan {
  start: number;
  end: number;
}

export const epoch = (): number => performance.timeOrigin + performance.now();

export function timedOpenHandlers(handlers: Services['handlers'], sink: HandlerSpan[]): Services['handlers'] {
  return {
    ...handlers,
    'summary.open': async (request) => {
      const start = epoch();
      const answer = await handlers['summary.open'](request);
      sink.push({ start, end: epoch() });
      return answer;
    },
  };
}
