import { useSyncExternalStore } from 'react';

/**
 * The current time, re-read every 30 s, so shown ages keep growing while a
 * summary stays open. One shared timer for the whole screen (a heavy patient
 * shows an age on ~150 rows), running only while something shows an age; every
 * age on screen is computed from the same instant, so they never disagree.
 */
const TICK_MS = 30_000;

let now = new Date();
let timer: ReturnType<typeof setInterval> | undefined;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = new Date();
    timer = setInterval(() => {
      now = new Date();
      for (const l of listeners) l();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const snapshot = () => now;

export function useNow(): Date {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
