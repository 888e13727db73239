// The container list as a semantic table, virtualized (only the rows in view are in the DOM, with padding
// rows keeping the scroll height) so thousands of containers stay smooth. Compose projects get a header row.
// Never imports node:*, electron or backend code.
import { Anchor, Checkbox, Group, Table, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort, IconChevronDown, IconChevronRight, IconStack2 } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { ContainerSummary, ContainerUsage } from '@shared/docker-types';
import { formatBytes, formatDateTime, formatPercent, formatRelative, portViews } from '../docker/format';
import { ContainerActions } from './ContainerActions';
import { ContainerStateBadge } from './ContainerStateBadge';
import type { ListRow, Sort, SortColumn } from './container-list';
import type { ContainerAction } from './use-container-actions';

const rowHeight = 49;
const columnCount = 8;

const ellipsis = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const;

function SortHeader({ column, label, sort, onSort }: { column: SortColumn; label: string; sort: Sort; onSort: (column: SortColumn) => void }) {
  const active = sort.column === column;
  const Icon = active ? (sort.descending ? IconArrowDown : IconArrowUp) : IconArrowsSort;
  return (
    <Table.Th aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <UnstyledButton onClick={() => onSort(column)} aria-label={`Sort by ${column}`} fw={700} fz="sm">
        <Group gap={4} wrap="nowrap">
          {label}
          <Icon size={14} aria-hidden />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

function Ports({ container }: { container: ContainerSummary }) {
  const views = portViews(container.ports);
  if (views.length === 0) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Text size="sm" style={ellipsis}>
      {views.map((view, index) => (
        <span key={view.key}>
          {index > 0 && ', '}
          {view.url ? (
            <Anchor href={view.url} target="_blank" rel="noreferrer" size="sm" aria-label={`Open ${view.url} (port ${view.text} of ${container.name})`}>
              {view.text}
            </Anchor>
          ) : (
            view.text
          )}
        </span>
      ))}
    </Text>
  );
}

function Usage({ usage }: { usage: ContainerUsage[string] | undefined }) {
  if (!usage) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Text size="sm" style={ellipsis} title={`CPU ${formatPercent(usage.cpuPercent)}, memory ${formatBytes(usage.memoryUsage)} of ${formatBytes(usage.memoryLimit)}`}>
      {formatPercent(usage.cpuPercent)} · {formatBytes(usage.memoryUsage)}
    </Text>
  );
}

const ContainerRow = memo(function ContainerRow({
  container,
  grouped,
  selected,
  onSelect,
  pending,
  usage,
  now,
}: {
  container: ContainerSummary;
  grouped: boolean;
  selected: boolean;
  onSelect: (id: string, selected: boolean) => void;
  pending: ContainerAction['action'] | undefined;
  usage: ContainerUsage[string] | undefined;
  now: number;
}) {
  return (
    <Table.Tr data-testid="container-row" data-name={container.name} data-state={container.state} data-pending={pending ?? undefined} h={rowHeight} bg={selected ? 'var(--mantine-primary-color-light)' : undefined}>
      <Table.Td>
        <Checkbox aria-label={`Select ${container.name}`} checked={selected} onChange={(event) => onSelect(container.id, event.currentTarget.checked)} />
      </Table.Td>
      <Table.Td pl={grouped ? 'lg' : undefined}>
        <Anchor component={Link} to={`/containers/${container.id}`} fw={600} size="sm" title={container.name} display="block" style={ellipsis}>
          {container.name}
        </Anchor>
        <Text size="xs" c="dimmed" title={container.image} style={ellipsis}>
          {container.image}
        </Text>
      </Table.Td>
      <Table.Td>
        <ContainerStateBadge state={container.state} />
      </Table.Td>
      <Table.Td style={ellipsis} title={container.status}>
        <Text size="sm" span>
          {container.status}
        </Text>
      </Table.Td>
      <Table.Td>
        <Ports container={container} />
      </Table.Td>
      <Table.Td style={ellipsis} title={formatDateTime(container.created)}>
        <Text size="sm" span>
          {formatRelative(container.created, now)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Usage usage={container.state === 'running' ? usage : undefined} />
      </Table.Td>
      <Table.Td>
        <ContainerActions container={container} pending={pending} layout="row" />
      </Table.Td>
    </Table.Tr>
  );
});

function GroupRow({ row, onToggle }: { row: Extract<ListRow, { kind: 'group' }>; onToggle: (project: string) => void }) {
  const Chevron = row.collapsed ? IconChevronRight : IconChevronDown;
  return (
    <Table.Tr data-testid="compose-group" data-project={row.project} h={rowHeight} bg="var(--mantine-color-default-hover)">
      <Table.Td colSpan={columnCount}>
        <UnstyledButton onClick={() => onToggle(row.project)} aria-expanded={!row.collapsed} fz="sm">
          <Group gap="xs" wrap="nowrap">
            <Chevron size={16} aria-hidden />
            <IconStack2 size={16} aria-hidden />
            <Text span fw={700} size="sm">
              {row.project}
            </Text>
            <Text span size="sm" c="dimmed">
              compose project · {row.count} {row.count === 1 ? 'container' : 'containers'}, {row.running} running
            </Text>
          </Group>
        </UnstyledButton>
      </Table.Td>
    </Table.Tr>
  );
}

function PaddingRow({ height }: { height: number }): ReactNode {
  if (height <= 0) return null;
  return (
    <tr aria-hidden>
      <td colSpan={columnCount} style={{ height, padding: 0, border: 0 }} />
    </tr>
  );
}

export function ContainerTable({
  rows,
  sort,
  onSort,
  selected,
  onSelect,
  allSelected,
  someSelected,
  onSelectAll,
  onToggleGroup,
  pending,
  usage,
  now,
}: {
  rows: ListRow[];
  sort: Sort;
  onSort: (column: SortColumn) => void;
  selected: ReadonlySet<string>;
  onSelect: (id: string, selected: boolean) => void;
  allSelected: boolean;
  someSelected: boolean;
  onSelectAll: (selected: boolean) => void;
  onToggleGroup: (project: string) => void;
  pending: ReadonlyMap<string, ContainerAction['action']>;
  usage: ContainerUsage;
  now: number;
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
      return row?.kind === 'group' ? `group:${row.project}` : (row?.container.id ?? index);
    },
  });
  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  return (
    <div ref={scrollRef} style={{ flex: 1, minHeight: 320, overflow: 'auto', contain: 'strict' }} data-testid="container-scroller">
      <Table stickyHeader layout="fixed" miw={1020} verticalSpacing={6} horizontalSpacing="xs" aria-label="Containers" highlightOnHover>
        <colgroup>
          <col style={{ width: 40 }} />
          <col style={{ width: '20%' }} />
          <col style={{ width: 132 }} />
          <col style={{ width: '14%' }} />
          <col style={{ width: '12%' }} />
          <col style={{ width: 128 }} />
          <col style={{ width: 136 }} />
          <col style={{ width: 112 }} />
        </colgroup>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>
              <Checkbox
                aria-label="Select all shown containers"
                checked={allSelected}
                indeterminate={someSelected && !allSelected}
                onChange={(event) => onSelectAll(event.currentTarget.checked)}
              />
            </Table.Th>
            <SortHeader column="name" label="Name · image" sort={sort} onSort={onSort} />
            <SortHeader column="state" label="State" sort={sort} onSort={onSort} />
            <Table.Th>Status</Table.Th>
            <Table.Th>Ports</Table.Th>
            <SortHeader column="created" label="Created" sort={sort} onSort={onSort} />
            <Table.Th>CPU · memory</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <PaddingRow height={paddingTop} />
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            if (row.kind === 'group') return <GroupRow key={item.key} row={row} onToggle={onToggleGroup} />;
            const { container } = row;
            return (
              <ContainerRow
                key={item.key}
                container={container}
                grouped={row.grouped}
                selected={selected.has(container.id)}
                onSelect={onSelect}
                pending={pending.get(container.id)}
                usage={usage[container.id]}
                now={now}
              />
            );
          })}
          <PaddingRow height={paddingBottom} />
        </Table.Tbody>
      </Table>
    </div>
  );
}
