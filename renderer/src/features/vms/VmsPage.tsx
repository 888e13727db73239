// The Virtual machines area: every domain of the chosen libvirt connection, live from vms.changed, with search,
// state filter, sort and actions; the connection switcher; and the way to the create wizard. Never imports node:*,
// electron or backend code.
import { Stack } from '@mantine/core';
import { useMemo, useState } from 'react';
import { ListContent, ListFailure, ListPage, ListToolbar, useListControls } from '../../components/ListFrame';
import { ReadingStatus } from '../../components/ReadingStatus';
import { useRpcQuery } from '../../hooks/use-rpc-query';
import { ConnectionGate, ConnectionSwitcher } from './ConnectionSwitcher';
import { useSelectedConnection } from './selected-connection';
import { usePendingVmActions } from './use-vm-actions';
import { useVmChanges } from './use-vm-changes';
import { VmDialogs } from './VmDialogs';
import { VmTable } from './VmTable';
import { visibleVms, type VmSort, type VmSortColumn, type VmStateFilter } from './vm-list';

const filters: { value: VmStateFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'running', label: 'Running' },
  { value: 'off', label: 'Off' },
  { value: 'paused', label: 'Paused' },
];

function VmList({ uri }: { uri: string }) {
  const list = useRpcQuery('vms.list', { uri });
  const pending = usePendingVmActions();
  const controls = useListControls<VmStateFilter>('all');
  const { search, filter } = controls;
  const [sort, setSort] = useState<VmSort>({ column: 'name', descending: false });
  const vms = list.data;
  const shown = useMemo(() => (vms ? visibleVms(vms, { search, filter, sort }) : []), [vms, search, filter, sort]);

  if (list.isPending) return <ReadingStatus text="Reading the VMs…" />;
  if (list.isError) return <ListFailure title="Could not list the VMs" error={list.error} onRetry={() => void list.refetch()} />;
  const running = list.data.filter((vm) => vm.state === 'running').length;
  return (
    <Stack gap="sm" style={{ flex: 1, minHeight: 0 }}>
      <ListToolbar
        noun="VMs"
        placeholder="Search name, OS, address…"
        filters={filters}
        {...controls}
        count={`${shown.length === list.data.length ? '' : `${shown.length} of `}${list.data.length} ${list.data.length === 1 ? 'VM' : 'VMs'}, ${running} running`}
      />
      <ListContent
        total={list.data.length}
        shown={shown.length}
        one="VM"
        empty={{ testId: 'no-vms', title: 'This connection has no VMs.', text: 'Create one, or define one with virt-manager or virsh: it shows up here as soon as libvirt reports it.' }}
      >
        <VmTable
          uri={uri}
          vms={shown}
          sort={sort}
          onSort={(column: VmSortColumn) => setSort((current) => ({ column, descending: current.column === column ? !current.descending : false }))}
          pending={pending}
        />
      </ListContent>
    </Stack>
  );
}

export function VmsPage() {
  const uri = useSelectedConnection();
  useVmChanges(uri);
  return (
    <VmDialogs>
      <ListPage
        title="Virtual machines"
        description="Every VM of the libvirt connection, as it changes: made here, with virt-manager or with virsh."
        create={{ to: '/vms/new', label: 'New VM' }}
      >
        <ConnectionSwitcher />
        <ConnectionGate uri={uri}>
          <VmList key={uri} uri={uri} />
        </ConnectionGate>
      </ListPage>
    </VmDialogs>
  );
}
