/**
 * The renderer's one store, composed of slices (patient, settings, app), each
 * calling the services through safeInvoke. Pushed fresh summaries land through
 * the patient slice, which drops one for a patient no longer selected.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EventPayload, SamsynBridge } from '../../shared/api';
import type { Language } from '../i18n/languages';
import { createAppSlice } from './appSlice';
import { createDocumentSlice } from './documentSlice';
import { createPatientSlice } from './patientSlice';
import { createSessionSlice } from './sessionSlice';
import { createSettingsSlice } from './settingsSlice';
import type { SamsynState } from './sliceTypes';

export type { SummaryView } from '../model/types';
export type { AppInfo } from './appSlice';
export type { InputCheck, SelectedPatient } from './patientSlice';
export type { CacheStatus } from './settingsSlice';
export type { SamsynState } from './sliceTypes';

export interface SamsynStoreOptions {
  bridge: SamsynBridge;
  language?: Language;
  /** The clock for identity validation (century of short numbers, future dates). */
  now?: () => Date;
  /** Opens an identity provider's sign-in page (the preview opens a tab; Electron's main process opens the system browser). */
  openUrl?: (url: string) => void;
  /** How long part 2 of a summary in two parts may take (tests pass a short one; ADR 0032). */
  partWaitMs?: number;
}

export type SamsynStore = StoreApi<SamsynState>;

export function createSamsynStore(options: SamsynStoreOptions): SamsynStore {
  const { bridge } = options;
  const now = options.now ?? (() => new Date());
  const patient = createPatientSlice(bridge, now, options.partWaitMs !== undefined ? { partWaitMs: options.partWaitMs } : {});
  const settings = createSettingsSlice(bridge);
  const app = createAppSlice(bridge, options.language);
  const session = createSessionSlice(bridge, options.openUrl ? { openUrl: options.openUrl } : {});
  const store = createStore<SamsynState>()((set, get) => ({
    ...patient(set, get),
    ...settings(set, get),
    ...app(set, get),
    ...session(set, get),
    ...createDocumentSlice(bridge)(set, get),
  }));
  // The bridge has checked the payload against the event contract.
  bridge.on('summary.updated', (payload) => {
    const update = payload as EventPayload<'summary.updated'>;
    if ('summary' in update) store.getState().receiveSummary(update.summary);
    else store.getState().receiveUnchanged(update.unchanged);
  });
  // Part 2 of an update in two parts (ADR 0032): the store ties it to its part 1.
  bridge.on('summary.rest', (payload) => {
    store.getState().receiveRest(payload as EventPayload<'summary.rest'>);
  });
  bridge.on('session.changed', (payload) => {
    store.getState().receiveSession((payload as EventPayload<'session.changed'>).session);
  });
  // Launched in a patient's context: opened exactly as if typed (validated, purpose asked, logged).
  bridge.on('launch.patient', (payload) => {
    void store.getState().openPatient((payload as EventPayload<'launch.patient'>).patient);
  });
  return store;
}
