// The container list as a semantic table, virtualized (only the rows in view are in the DOM, with padding
// rows keeping the scroll height) so thousands of containers stay smooth. Compose projects get a header row.
// Never imports node:*, electron or backend code.
import { Anchor, Checkbox, Group, Table, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconStack2 } from '@tabler/icons-react';
import { memo } from 'react';
import { Link } from 'react-router';
import type { ContainerSummary, ContainerUsage } from '@shared/docker-types';
import { ActionsHeader, SortHeader } from '../../components/TableHeaders';
import { ellipsis, VirtualTable } from '../../components/VirtualTable';
import { formatBytes, formatDateTime, formatPercent, formatRelative, portViews } from '../docker/format';
import { ContainerActions } from './ContainerActions';
import { ContainerStateBadge } from './ContainerStateBadge';
import type { ListRow, Sort, SortColumn } from './container-list';
import type { ContainerAction } from './use-container-actions';

const rowHeight = 49;
const columnWidths = [40, '20%', 132, '14%', '12%', 128, 136, 112];

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
      <Table.Td colSpan={columnWidths.length}>
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
  return (
    <VirtualTable
      rows={rows}
      rowKey={(row) => (row.kind === 'group' ? `group:${row.project}` : row.container.id)}
      rowHeight={rowHeight}
      columnWidths={columnWidths}
      label="Containers"
      minWidth={1020}
      scrollerTestId="container-scroller"
      head={
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
            <ActionsHeader />
          </Table.Tr>
        </Table.Thead>
      }
      renderRow={(row) =>
        row.kind === 'group' ? (
          <GroupRow row={row} onToggle={onToggleGroup} />
        ) : (
          <ContainerRow
            container={row.container}
            grouped={row.grouped}
            selected={selected.has(row.container.id)}
            onSelect={onSelect}
            pending={pending.get(row.container.id)}
            usage={usage[row.container.id]}
            now={now}
          />
        )
      }
    />
  );
}
