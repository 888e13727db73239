// The Virtual machines area: every domain of the chosen libvirt connection, live from vms.changed, with search,
// state filter, sort and actions; the connection switcher; and the way to the create wizard. Never imports node:*,
// electron or backend code.
import { Button, Group, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconPlus, IconRefresh, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useRpcQuery } from '../../hooks/use-rpc-query';
import { ConnectionGate, ConnectionSwitcher } from './ConnectionSwitcher';
import { useSelectedConnection } from './selected-connection';
import { usePendingVmActions } from './use-vm-actions';
import { useVmChanges } from './use-vm-changes';
import { VmDialogs } from './VmDialogs';
import { VmTable } from './VmTable';
import { visibleVms, type VmSort, type VmSortColumn, type VmStateFilter } from './vm-list';
import { ReadingStatus } from './ReadingStatus';

const filters: { value: VmStateFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'running', label: 'Running' },
  { value: 'off', label: 'Off' },
  { value: 'paused', label: 'Paused' },
];

function VmList({ uri }: { uri: string }) {
  const list = useRpcQuery('vms.list', { uri });
  const pending = usePendingVmActions();
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<VmStateFilter>('all');
  const [sort, setSort] = useState<VmSort>({ column: 'name', descending: false });
  const vms = list.data;
  const shown = useMemo(() => (vms ? visibleVms(vms, { search, filter, sort }) : []), [vms, search, filter, sort]);

  if (list.isPending) {
    return (
      <ReadingStatus what="Reading the VMs…" />
    );
  }
  if (list.isError) {
    return (
      <Stack gap="sm" align="flex-start">
        <ErrorAlert title="Could not list the VMs" error={list.error} />
        <Button variant="default" leftSection={<IconRefresh size={16} aria-hidden />} onClick={() => void list.refetch()}>
          Try again
        </Button>
      </Stack>
    );
  }
  const running = list.data.filter((vm) => vm.state === 'running').length;
  return (
    <Stack gap="sm" style={{ flex: 1, minHeight: 0 }}>
      <Group gap="sm" justify="space-between">
        <Group gap="sm">
          <TextInput
            aria-label="Search VMs"
            placeholder="Search name, OS, address…"
            leftSection={<IconSearch size={16} aria-hidden />}
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
            w={280}
          />
          <SegmentedControl aria-label="Show VMs by state" value={filter} onChange={(value) => setFilter(value as VmStateFilter)} data={filters} />
        </Group>
        <Text size="sm" c="dimmed" role="status">
          {shown.length === list.data.length ? '' : `${shown.length} of `}
          {list.data.length} {list.data.length === 1 ? 'VM' : 'VMs'}, {running} running
        </Text>
      </Group>
      {list.data.length === 0 ? (
        <Stack gap="xs" align="flex-start" py="xl" data-testid="no-vms">
          <Text fw={600}>This connection has no VMs.</Text>
          <Text size="sm">Create one, or define one with virt-manager or virsh: it shows up here as soon as libvirt reports it.</Text>
        </Stack>
      ) : (
        <>
          <VmTable
            uri={uri}
            vms={shown}
            sort={sort}
            onSort={(column: VmSortColumn) => setSort((current) => ({ column, descending: current.column === column ? !current.descending : false }))}
            pending={pending}
          />
          {shown.length === 0 && (
            <Text size="sm" c="dimmed">
              No VM matches the search and filter.
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}

export function VmsPage() {
  const uri = useSelectedConnection();
  useVmChanges(uri);
  return (
    <VmDialogs>
      <Stack gap="md" h="calc(100dvh - var(--app-shell-header-height, 56px) - 2 * var(--mantine-spacing-lg))">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={2} align="flex-start">
            <Title order={1}>Virtual machines</Title>
            <Text c="dimmed">Every VM of the libvirt connection, as it changes: made here, with virt-manager or with virsh.</Text>
          </Stack>
          <Button component={Link} to="/vms/new" leftSection={<IconPlus size={16} aria-hidden />}>
            New VM
          </Button>
        </Group>
        <ConnectionSwitcher />
        <ConnectionGate uri={uri}>
          <VmList key={uri} uri={uri} />
        </ConnectionGate>
      </Stack>
    </VmDialogs>
  );
}
