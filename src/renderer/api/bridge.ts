import type { SamsynBridge } from '../../shared/api';
import { createHttpBridge } from './httpBridge';
import { takeLaunchToken } from './launchToken';
import { withValidation } from './validatedBridge';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in the browser preview. */
    samsyn?: SamsynBridge;
  }
}

let bridge: SamsynBridge | undefined;

function safeSessionStorage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

function createPreviewBridge(): SamsynBridge {
  const take = () => takeLaunchToken(window.location, window.history, safeSessionStorage());
  let token = take();
  // Opening the launch link again in the same tab is a fragment change, not a
  // reload: take the token again so it never lingers in the address bar.
  window.addEventListener('hashchange', () => {
    token = take() ?? token;
  });
  return createHttpBridge({ origin: window.location.origin, token: () => token });
}

/**
 * The one way the renderer reaches the services: Electron's preload bridge when
 * present, otherwise the preview's HTTP bridge. Created once, because the
 * launch token is taken out of the URL at start. Every answer is validated.
 */
export function getBridge(): SamsynBridge {
  if (bridge) return bridge;
  bridge = withValidation(window.samsyn ?? createPreviewBridge());
  return bridge;
}
