/**
 * The only door from the renderer to the services: `window.samsyn = { invoke, on }`.
 * Sandboxed preloads cannot load our other modules, so this file imports types
 * only; the main process checks every command and request against the SamsynApi
 * map (dispatch) before anything runs.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { SamsynBridge } from '../../shared/api';

const INVOKE_CHANNEL = 'samsyn:invoke';
const EVENT_CHANNEL = 'samsyn:event';

const bridge = {
  invoke: (command, request) => ipcRenderer.invoke(INVOKE_CHANNEL, command, request),
  on: (event, listener) => {
    const handler = (_e: unknown, name: unknown, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
} satisfies SamsynBridge;

contextBridge.exposeInMainWorld('samsyn', bridge);
