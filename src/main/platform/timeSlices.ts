/**
 * Work done in time slices on the event loop's own thread: a long job (a large
 * HL7 batch decoded, split, checked, mapped; a file hashed; a large summary
 * merged) runs for about `budgetMs`, then lets the event loop turn
 * (setImmediate: pending I/O, timers and other calls run) before it goes on. A job written as a generator that
 * yields between bounded steps is driven by `drive`; a loop calls `pass()`.
 * Nothing here measures the caller's results, only when to pause.
 */
import { performance } from 'node:perf_hooks';

/** Work done between two turns of the event loop (ADR 0026, 0029, 0037). */
export const SLICE_MS = 8;

const turn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

export class TimeSlices {
  private started = performance.now();
  /** Turns of the event loop given so far (for tests and figures). */
  turns = 0;

  constructor(private readonly budgetMs: number = SLICE_MS) {}

  /** True when this slice's budget is spent. */
  due(): boolean {
    return performance.now() - this.started >= this.budgetMs;
  }

  /** Lets the event loop turn once, then starts a new slice. */
  async yieldNow(): Promise<void> {
    await turn();
    this.turns++;
    this.started = performance.now();
  }

  /** Lets the event loop turn if this slice's budget is spent. */
  async pass(): Promise<void> {
    if (this.due()) await this.yieldNow();
  }

  /** Runs a stepwise job to its end, the event loop turning between steps once the budget is spent. */
  async drive<T>(steps: Generator<void, T, void>): Promise<T> {
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      if (this.due()) await this.yieldNow();
    }
  }
}
