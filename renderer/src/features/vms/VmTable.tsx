// The VM list as a semantic table, virtualized (only the rows in view are in the DOM, with padding rows keeping the
// scroll height) so long lists stay smooth. Never imports node:*, electron or backend code.
import { Anchor, Table, Text } from '@mantine/core';
import { memo } from 'react';
import { Link } from 'react-router';
import type { VmSummary } from '@shared/vm-types';
import { ActionsHeader, SortHeader } from '../../components/TableHeaders';
import { ellipsis, VirtualTable } from '../../components/VirtualTable';
import { formatBytes } from '../docker/format';
import { pendingKey, type VmAction } from './use-vm-actions';
import { vmPath } from './use-vm-changes';
import { VmActions } from './VmActions';
import { AccelerationBadge, VmStateBadge } from './VmBadges';
import type { VmSort, VmSortColumn } from './vm-list';

const rowHeight = 49;
const columnWidths = ['18%', 124, 236, 64, 84, 84, undefined, 112];

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
  return (
    <VirtualTable
      rows={vms}
      rowKey={(vm) => vm.name}
      rowHeight={rowHeight}
      columnWidths={columnWidths}
      label="Virtual machines"
      minWidth={980}
      scrollerTestId="vm-scroller"
      head={
        <Table.Thead>
          <Table.Tr>
            <SortHeader column="name" label="Name" sort={sort} onSort={onSort} />
            <SortHeader column="state" label="State" sort={sort} onSort={onSort} />
            <Table.Th>Acceleration</Table.Th>
            <SortHeader column="vcpus" label="vCPUs" sort={sort} onSort={onSort} />
            <SortHeader column="memory" label="Memory" sort={sort} onSort={onSort} />
            <SortHeader column="disk" label="Disk" sort={sort} onSort={onSort} />
            <Table.Th>Addresses</Table.Th>
            <ActionsHeader />
          </Table.Tr>
        </Table.Thead>
      }
      renderRow={(vm) => <VmRow uri={uri} vm={vm} pending={pending.get(pendingKey(uri, vm.name))} />}
    />
  );
}
