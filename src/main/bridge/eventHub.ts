/**
 * Pushed events (SamsynApi's event map) from the services to whichever
 * transports are attached: Electron IPC to each window, the preview's event
 * stream to each browser tab. Listeners are isolated: one that throws does not
 * stop the others.
 */
import type { EventName, EventPayload } from '../../shared/api';
import { createLogger } from '../platform/logger';

const log = createLogger('app.events');

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface EventHub {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      for (const listener of listeners) {
        try {
          listener(event, payload);
        } catch (err) {
          log.warn({ event, err: (err as Error)?.name ?? typeof err }, 'event listener failed');
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
