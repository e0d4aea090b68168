import type { StoreApi } from 'zustand/vanilla';
import type { AppSlice } from './appSlice';
import type { DocumentSlice } from './documentSlice';
import type { PatientSlice } from './patientSlice';
import type { SessionSlice } from './sessionSlice';
import type { SettingsSlice } from './settingsSlice';

/** The whole app state: one slice per concern, one store. */
export type SamsynState = PatientSlice & SettingsSlice & AppSlice & SessionSlice & DocumentSlice;

/** A slice sees the whole state but builds only its own part. */
export type SliceCreator<T> = (set: StoreApi<SamsynState>['setState'], get: StoreApi<SamsynState>['getState']) => T;
