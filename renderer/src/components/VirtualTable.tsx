// A long list as a semantic table, virtualized: only the rows in view are in the DOM, with padding rows keeping
// the scroll height, inside its own scroller with a sticky header. Never imports node:*, electron or backend code.
import { Table } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Fragment, useRef, type ReactNode } from 'react';

/** For a cell's text that must stay on one line. */
export const ellipsis = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const;

function PaddingRow({ height, columnCount }: { height: number; columnCount: number }): ReactNode {
  if (height <= 0) return null;
  return (
    <tr aria-hidden>
      <td colSpan={columnCount} style={{ height, padding: 0, border: 0 }} />
    </tr>
  );
}

export function VirtualTable<Row>({
  rows,
  rowKey,
  renderRow,
  rowHeight,
  columnWidths,
  head,
  label,
  minWidth,
  scrollerTestId,
}: {
  rows: readonly Row[];
  /** Stable across renders, so a row keeps its DOM (and focus) while the list changes around it. */
  rowKey: (row: Row) => string | number;
  renderRow: (row: Row) => ReactNode;
  /** Every row's height in px (rows render with `h={rowHeight}`). */
  rowHeight: number;
  /** One per column, for the fixed layout; undefined takes what is left. */
  columnWidths: (number | string | undefined)[];
  /** The table's Thead. */
  head: ReactNode;
  label: string;
  minWidth: number;
  scrollerTestId: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the virtualizer re-renders this component itself.
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    getItemKey: (index) => {
      const row = rows[index];
      return row === undefined ? index : rowKey(row);
    },
  });
  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  const columnCount = columnWidths.length;

  return (
    <div ref={scrollRef} style={{ flex: 1, minHeight: 320, overflow: 'auto', contain: 'strict' }} data-testid={scrollerTestId}>
      <Table stickyHeader layout="fixed" miw={minWidth} verticalSpacing={6} horizontalSpacing="xs" aria-label={label} highlightOnHover>
        <colgroup>
          {columnWidths.map((width, index) => (
            <col key={index} style={width === undefined ? undefined : { width }} />
          ))}
        </colgroup>
        {head}
        <Table.Tbody>
          <PaddingRow height={paddingTop} columnCount={columnCount} />
          {items.map((item) => {
            const row = rows[item.index];
            return row === undefined ? null : <Fragment key={item.key}>{renderRow(row)}</Fragment>;
          })}
          <PaddingRow height={paddingBottom} columnCount={columnCount} />
        </Table.Tbody>
      </Table>
    </div>
  );
}
