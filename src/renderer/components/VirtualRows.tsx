/**
 * A long list or table body that keeps only the visible rows in the DOM
 * (@tanstack/react-virtual, ADR 0015). Rows keep their semantics: a table's
 * rows stay <tr> in a real <table> (spacer rows above and below the window), a
 * list's items stay <li> (spacer items). The scroll box is focusable, so the
 * keyboard scrolls it. Short lists (at most `threshold` rows) and `renderAll`
 * (print) render every row, with no scroll box.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type ReactElement, type ReactNode, type Ref } from 'react';
import { useSamsyn } from '../store/StoreProvider';

/** Rows up to this count are rendered plainly: virtualizing a short list buys nothing. */
export const VIRTUAL_THRESHOLD = 30;

export interface RowProps {
  /** Attach to the row's root element: the virtualizer measures it. */
  ref: Ref<HTMLElement> | undefined;
  'data-index': number;
}

interface Common<T> {
  items: readonly T[];
  getKey: (item: T, index: number) => string;
  /** Renders one row; spread `rowProps` on its root element (<tr> or <li>). */
  renderRow: (item: T, index: number, rowProps: RowProps) => ReactElement;
  /** A first guess of a row's height in px; rows are measured once drawn. */
  estimateSize: number;
  /** Render every row (print, or a test that needs them all). */
  renderAll?: boolean;
  threshold?: number;
  /** The scroll box's accessible name. */
  label: string;
  /** The scroll box's height limit (CSS), e.g. '60vh'. */
  maxHeight?: string;
  className?: string;
  testId?: string;
  overscan?: number;
}

export interface VirtualTableProps<T> extends Common<T> {
  kind: 'table';
  /** The table's <thead>, <caption>, <colgroup>: kept outside the window. */
  head?: ReactNode;
  columns: number;
  tableClassName?: string;
  /** Each row is a <tbody> of its own (a row with a detail row under it), not one <tr>. */
  bodies?: boolean;
}

export interface VirtualListProps<T> extends Common<T> {
  kind: 'list';
  listClassName?: string;
}

function Spacer({ kind, height, columns, body }: { kind: 'table' | 'list'; height: number; columns: number; body: boolean }) {
  if (height <= 0) return null;
  const row = (
    <tr aria-hidden="true" className="vrows__spacer">
      <td colSpan={columns} style={{ height, padding: 0, border: 0 }} />
    </tr>
  );
  if (kind === 'table') return body ? <tbody aria-hidden="true">{row}</tbody> : row;
  return (
    <li aria-hidden="true" className="vrows__spacer" style={{ height }} />
  );
}

function Wrapper<T>({ props, children }: { props: VirtualTableProps<T> | VirtualListProps<T>; children: ReactNode }) {
  if (props.kind === 'table') {
    return (
      <table className={props.tableClassName}>
        {props.head}
        {props.bodies ? children : <tbody>{children}</tbody>}
      </table>
    );
  }
  return <ul className={props.listClassName}>{children}</ul>;
}

function plainRows<T>(props: VirtualTableProps<T> | VirtualListProps<T>): ReactNode {
  return props.items.map((item, index) => {
    const row = props.renderRow(item, index, { ref: undefined, 'data-index': index });
    return <RowKey key={props.getKey(item, index)}>{row}</RowKey>;
  });
}

/** A keyed fragment: rows come from the caller, keys from `getKey`. */
function RowKey({ children }: { children: ReactElement }) {
  return children;
}

function Windowed<T>(props: VirtualTableProps<T> | VirtualListProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: props.items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => props.estimateSize,
    getItemKey: (index) => props.getKey(props.items[index] as T, index),
    overscan: props.overscan ?? 6,
    // Before the first layout (and in print), show the first screen rather than nothing.
    initialRect: { width: 1000, height: 600 },
  });
  const rows = virtualizer.getVirtualItems();
  const total = virtualizer.getTotalSize();
  const before = rows[0]?.start ?? 0;
  const after = total - (rows[rows.length - 1]?.end ?? 0);
  const columns = props.kind === 'table' ? props.columns : 1;
  const body = props.kind === 'table' && props.bodies === true;
  return (
    <div
      ref={scrollRef}
      className={`vrows${props.className ? ` ${props.className}` : ''}`}
      style={{ maxHeight: props.maxHeight ?? '60vh' }}
      tabIndex={0}
      role="region"
      aria-label={props.label}
      data-testid={props.testId}
      data-virtual="true"
      data-row-count={props.items.length}
    >
      <Wrapper props={props}>
        <Spacer kind={props.kind} height={before} columns={columns} body={body} />
        {rows.map((v) => {
          const item = props.items[v.index] as T;
          const row = props.renderRow(item, v.index, { ref: virtualizer.measureElement, 'data-index': v.index });
          return <RowKey key={v.key as string}>{row}</RowKey>;
        })}
        <Spacer kind={props.kind} height={after} columns={columns} body={body} />
      </Wrapper>
    </div>
  );
}

export function VirtualRows<T>(props: VirtualTableProps<T> | VirtualListProps<T>) {
  // Printing prints exactly what is shown, every row of it: the window is lifted.
  const printing = useSamsyn((s) => s.printing);
  if (printing || props.renderAll || props.items.length <= (props.threshold ?? VIRTUAL_THRESHOLD)) {
    return (
      <div className={`vrows vrows--all${props.className ? ` ${props.className}` : ''}`} data-testid={props.testId} data-virtual="false">
        <Wrapper props={props}>{plainRows(props)}</Wrapper>
      </div>
    );
  }
  return <Windowed {...props} />;
}
