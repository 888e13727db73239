// The VM list as a semantic table, virtualized (only the rows in view are in the DOM, with padding rows keeping the
// scroll height) so long lists stay smooth. Never imports node:*, electron or backend code.
import { Anchor, Group, Table, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { VmSummary } from '@shared/vm-types';
import { formatBytes } from '../docker/format';
import { pendingKey, type VmAction } from './use-vm-actions';
import { vmPath } from './use-vm-changes';
import { VmActions } from './VmActions';
import { AccelerationBadge, VmStateBadge } from './VmBadges';
import type { VmSort, VmSortColumn } from './vm-list';

const rowHeight = 49;
const columnCount = 8;
const ellipsis = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const;

function SortHeader({ column, label, sort, onSort }: { column: VmSortColumn; label: string; sort: VmSort; onSort: (column: VmSortColumn) => void }) {
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

const VmRow = memo(function VmRow({ uri, vm, pending }: { uri: string; vm: VmSummary; pending: VmAction | undefined }) {
  const subtitle = [vm.title, vm.osId].filter(Boolean).join(' · ');
  return (
    <Table.Tr data-testid="vm-row" data-name={vm.name} data-state={vm.state} data-pending={pending ?? undefined} h={rowHeight}>
      <Table.Td>
        <Anchor component={Link} to={vmPath(uri, vm.name)} fw={600} size="sm" title={vm.name} display="block" style={ellipsis}>
          {vm.name}
        </Anchor>
        {subtitle && (
          <Text size="xs" c="dimmed" style={ellipsis} title={subtitle}>
            {subtitle}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <VmStateBadge state={vm.state} reason={vm.reason} />
      </Table.Td>
      <Table.Td>
        <AccelerationBadge acceleration={vm.acceleration} domainType={vm.domainType} />
      </Table.Td>
      <Table.Td>
        <Text size="sm">{vm.vcpus}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{formatBytes(vm.memoryBytes)}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={vm.diskBytes === null ? 'dimmed' : undefined}>
          {vm.diskBytes === null ? '—' : formatBytes(vm.diskBytes)}
        </Text>
      </Table.Td>
      <Table.Td style={ellipsis} title={vm.addresses.join(', ')}>
        <Text size="sm" span c={vm.addresses.length === 0 ? 'dimmed' : undefined} data-testid="vm-addresses">
          {vm.addresses.length === 0 ? '—' : vm.addresses.join(', ')}
        </Text>
      </Table.Td>
      <Table.Td>
        <VmActions uri={uri} vm={vm} pending={pending} layout="row" />
      </Table.Td>
    </Table.Tr>
  );
});

function PaddingRow({ height }: { height: number }): ReactNode {
  if (height <= 0) return null;
  return (
    <tr aria-hidden>
      <td colSpan={columnCount} style={{ height, padding: 0, border: 0 }} />
    </tr>
  );
}

export function VmTable({
  uri,
  vms,
  sort,
  onSort,
  pending,
}: {
  uri: string;
  vms: VmSummary[];
  sort: VmSort;
  onSort: (column: VmSortColumn) => void;
  pending: ReadonlyMap<string, VmAction>;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the virtualizer re-renders this component itself.
  const virtualizer = useVirtualizer({
    count: vms.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    getItemKey: (index) => vms[index]?.name ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  return (
    <div ref={scrollRef} style={{ flex: 1, minHeight: 320, overflow: 'auto', contain: 'strict' }} data-testid="vm-scroller">
      <Table stickyHeader layout="fixed" miw={980} verticalSpacing={6} horizontalSpacing="xs" aria-label="Virtual machines" highlightOnHover>
        <colgroup>
          <col style={{ width: '18%' }} />
          <col style={{ width: 124 }} />
          <col style={{ width: 236 }} />
          <col style={{ width: 64 }} />
          <col style={{ width: 84 }} />
          <col style={{ width: 84 }} />
          <col />
          <col style={{ width: 112 }} />
        </colgroup>
        <Table.Thead>
          <Table.Tr>
            <SortHeader column="name" label="Name" sort={sort} onSort={onSort} />
            <SortHeader column="state" label="State" sort={sort} onSort={onSort} />
            <Table.Th>Acceleration</Table.Th>
            <SortHeader column="vcpus" label="vCPUs" sort={sort} onSort={onSort} />
            <SortHeader column="memory" label="Memory" sort={sort} onSort={onSort} />
            <SortHeader column="disk" label="Disk" sort={sort} onSort={onSort} />
            <Table.Th>Addresses</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <PaddingRow height={paddingTop} />
          {items.map((item) => {
            const vm = vms[item.index];
            if (!vm) return null;
            return <VmRow key={item.key} uri={uri} vm={vm} pending={pending.get(pendingKey(uri, vm.name))} />;
          })}
          <PaddingRow height={paddingBottom} />
        </Table.Tbody>
      </Table>
    </div>
  );
}
