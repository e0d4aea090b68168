/** A journal document opened in the app: asked for the selected patient only; an answer for another patient or document is dropped. */
import type { ResponseOf, SamsynBridge } from '../../shared/api';
import type { AppError } from '../../shared/errors';
import { safeInvoke } from './safeInvoke';
import type { SliceCreator } from './sliceTypes';

export type DocumentContentView = ResponseOf<'document.open'>;

export interface OpenDocument {
  sourceId: string;
  recordId: string;
  /** The patient query it was asked for. */
  patient: string;
  state: 'loading' | 'open' | 'failed';
  content?: DocumentContentView;
  error?: AppError;
}

export interface DocumentSlice {
  openDocument: OpenDocument | null;
  showDocument(sourceId: string, recordId: string): Promise<void>;
  closeDocument(): void;
}

export function createDocumentSlice(bridge: SamsynBridge): SliceCreator<DocumentSlice> {
  return (set, get) => ({
    openDocument: null,

    async showDocument(sourceId, recordId) {
      const patient = get().selected?.query;
      if (!patient) return;
      const asked = { sourceId, recordId, patient };
      set({ openDocument: { ...asked, state: 'loading' } });
      const answer = await safeInvoke(bridge, 'document.open', asked);
      const now = get().openDocument;
      // The clinician moved on (another document, another patient): this answer is not shown.
      if (!now || now.sourceId !== sourceId || now.recordId !== recordId || get().selected?.query !== patient) return;
      set({ openDocument: answer.ok ? { ...asked, state: 'open', content: answer.value } : { ...asked, state: 'failed', error: answer.error } });
    },

    closeDocument() {
      set({ openDocument: null });
    },
  });
}
