import { useEffect, useMemo, type Ref } from 'react';
import { useFormat } from '../i18n/useFormat';
import type { SummaryItem } from '../model/types';
import { useSamsyn } from '../store/StoreProvider';
import { ItemProvenance } from './ItemProvenance';
import { ItemTags } from './ItemMarks';
import { VirtualRows, type RowProps } from './VirtualRows';

/** A document's record at a source that can be opened: a FHIR DocumentReference with an attachment. */
function openable(item: SummaryItem): { sourceId: string; recordId: string } | undefined {
  if (item.section !== 'documents' || (item.details.attachments ?? []).length === 0) return undefined;
  const p = item.sources.find((s) => s.recordId.startsWith('DocumentReference/'));
  return p ? { sourceId: p.sourceId, recordId: p.recordId } : undefined;
}

/**
 * Journal documents: type, author, organisation and date, each opened in the
 * app on demand. HTML is shown in a sandboxed frame that runs no script and
 * loads nothing remote; plain text as text.
 */
export function DocumentsPanel({ items }: { items: readonly SummaryItem[] }) {
  const { t } = useFormat();
  // Thousands of documents keep only the visible rows in the DOM (issue 11 item 6).
  return (
    <div data-testid="documents">
      <VirtualRows
        kind="list"
        items={items}
        getKey={(item) => item.key}
        estimateSize={120}
        label={t('sections.listLabel', { count: items.length })}
        listClassName="documents"
        testId="item-list"
        renderRow={(item, _i, rowProps) => <DocumentRow item={item} rowProps={rowProps} />}
      />
    </div>
  );
}

function DocumentRow({ item, rowProps }: { item: SummaryItem; rowProps: RowProps }) {
  const { t, date } = useFormat();
  const opened = useSamsyn((s) => s.openDocument);
  const show = useSamsyn((s) => s.showDocument);
  const target = openable(item);
  const details = item.section === 'documents' ? item.details : undefined;
  const isOpen = target && opened && opened.sourceId === target.sourceId && opened.recordId === target.recordId;
  return (
    <li
      className="documents__item"
      data-testid="summary-item"
      ref={rowProps.ref as Ref<HTMLLIElement> | undefined}
      data-index={rowProps['data-index']}
    >
      <div className="documents__head">
        <span className="documents__title">{item.text}</span>
        <ItemTags item={item} />
        {item.sealed && <span className="tag tag--sealed">{t('items.sealed')}</span>}
        {item.date && <time className="documents__date" dateTime={item.date}>{date(item.date)}</time>}
      </div>
      <dl className="documents__facts">
        {details?.type && (
          <div>
            <dt>{t('documents.type')}</dt>
            <dd data-testid="document-type">{details.type}</dd>
          </div>
        )}
        {details?.authors && details.authors.length > 0 && (
          <div>
            <dt>{t('documents.author')}</dt>
            <dd>{details.authors.join(', ')}</dd>
          </div>
        )}
        {details?.custodian && (
          <div>
            <dt>{t('documents.organisation')}</dt>
            <dd>{details.custodian}</dd>
          </div>
        )}
      </dl>
      <ItemProvenance sources={item.sources} />
      {target && !isOpen && (
        <button type="button" className="link-button" data-testid="document-open" onClick={() => void show(target.sourceId, target.recordId)}>
          {t('documents.open')}
        </button>
      )}
      {isOpen && <DocumentViewer />}
    </li>
  );
}

/** Shown inside an HTML document's frame: nothing may load or run. */
const FRAME_POLICY = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`;

/**
 * A PDF in the platform's viewer (Chromium's, in Electron and the preview),
 * from bytes the main process fetched and size-checked: a blob: URL made in
 * the page, never the source's address, revoked when the viewer closes.
 */
function PdfFrame({ base64, title }: { base64: string; title: string }) {
  const url = useMemo(() => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  }, [base64]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return <iframe className="document-viewer__frame" title={title} src={url} data-testid="document-pdf" />;
}

export function DocumentViewer() {
  const { t, error, dateTime } = useFormat();
  const doc = useSamsyn((s) => s.openDocument);
  const close = useSamsyn((s) => s.closeDocument);
  if (!doc) return null;
  return (
    <section className="document-viewer" data-testid="document-viewer" data-state={doc.state} aria-label={doc.content?.title ?? t('documents.viewer')}>
      <div className="document-viewer__bar">
        <strong>{doc.content?.title ?? t('documents.viewer')}</strong>
        <button type="button" className="link-button" data-testid="document-close" onClick={close}>
          {t('documents.close')}
        </button>
      </div>
      {doc.state === 'loading' && <p>{t('documents.loading')}</p>}
      {doc.state === 'failed' && (
        <p className="notice notice--warning" role="alert" data-testid="document-error" data-code={doc.error?.code}>
          {error(doc.error?.code ?? 'INTERNAL')}
        </p>
      )}
      {doc.content?.cachedAt && (
        <p className="notice" role="note" data-testid="document-cached">
          {t('documents.cached', { time: dateTime(doc.content.cachedAt) })}
        </p>
      )}
      {doc.content?.contentType === 'text/plain' && <pre className="document-viewer__text" data-testid="document-text">{doc.content.text}</pre>}
      {doc.content?.contentType === 'text/html' && (
        <iframe
          className="document-viewer__frame"
          data-testid="document-frame"
          title={doc.content.title ?? t('documents.viewer')}
          sandbox=""
          referrerPolicy="no-referrer"
          srcDoc={`${FRAME_POLICY}${doc.content.text ?? ''}`}
        />
      )}
      {doc.content?.contentType === 'application/pdf' && doc.content.base64 !== undefined && (
        <PdfFrame base64={doc.content.base64} title={doc.content.title ?? t('documents.viewer')} />
      )}
    </section>
  );
}
