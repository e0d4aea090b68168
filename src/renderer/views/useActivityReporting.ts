import { useEffect } from 'react';
import { useSamsyn } from '../store/StoreProvider';

const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/** Pointer and key events tell the services the user is here (throttled in the store): the idle lock waits. */
export function useActivityReporting(): void {
  const reportActivity = useSamsyn((s) => s.reportActivity);
  useEffect(() => {
    const listener = () => reportActivity();
    for (const event of ACTIVITY_EVENTS) window.addEventListener(event, listener, { passive: true, capture: true });
    return () => {
      for (const event of ACTIVITY_EVENTS) window.removeEventListener(event, listener, { capture: true });
    };
  }, [reportActivity]);
}
