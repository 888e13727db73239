// One VM: its name, state, acceleration and actions, then tabs for the overview, live stats, the domain XML and
// snapshots. Only the shown tab is mounted, so the stats stream runs only while seen; libvirt events keep the
// page fresh. Never imports node:*, electron or backend code.
import { Stack, Text } from '@mantine/core';
import { useNavigate, useParams } from 'react-router';
import type { VmDetail } from '@shared/vm-types';
import { DetailHeader, DetailReadFailure, DetailTabs, type BackTo } from '../../../components/DetailPage';
import { ReadingStatus } from '../../../components/ReadingStatus';
import { useRpcQuery } from '../../../hooks/use-rpc-query';
import { ConnectionGate } from '../ConnectionSwitcher';
import { pendingKey, usePendingVmActions } from '../use-vm-actions';
import { useVmChanges } from '../use-vm-changes';
import { VmActions } from '../VmActions';
import { AccelerationBadge, VmStateBadge } from '../VmBadges';
import { VmDialogs } from '../VmDialogs';
import { OverviewTab } from './OverviewTab';
import { SnapshotsTab } from './SnapshotsTab';
import { VmStatsTab } from './VmStatsTab';
import { XmlTab } from './XmlTab';

const back: BackTo = { to: '/vms', label: 'All VMs' };

function Header({ uri, detail }: { uri: string; detail: VmDetail }) {
  const pending = usePendingVmActions();
  const navigate = useNavigate();
  return (
    <DetailHeader
      back={back}
      title={detail.name}
      badges={
        <>
          <VmStateBadge state={detail.state} reason={detail.reason} />
          <AccelerationBadge acceleration={detail.acceleration} domainType={detail.domainType} />
        </>
      }
      facts={[detail.title, detail.osId, uri].filter(Boolean).join(' · ')}
      actions={<VmActions uri={uri} vm={detail} pending={pending.get(pendingKey(uri, detail.name))} layout="header" onDeleted={() => void navigate('/vms')} />}
    />
  );
}

function Detail({ uri, name }: { uri: string; name: string }) {
  const detail = useRpcQuery('vms.detail', { uri, name });
  if (detail.isPending) return <ReadingStatus text="Reading the VM…" />;
  if (detail.isError) {
    return (
      <DetailReadFailure
        back={back}
        error={detail.error}
        noun="VM"
        missingTestId="vm-missing"
        missingText={
          <>
            {uri} has no VM named <strong>{name}</strong>: it was deleted, or never existed.
          </>
        }
        failureTitle="libvirt did not answer for this VM"
      />
    );
  }
  const vm = detail.data;
  const live = vm.state !== 'shutoff' && vm.state !== 'crashed' && vm.state !== 'nostate';
  return (
    <Stack gap="md">
      <Header uri={uri} detail={vm} />
      <DetailTabs
        tabs={[
          { value: 'overview', label: 'Overview', panel: <OverviewTab detail={vm} /> },
          {
            value: 'stats',
            label: 'Stats',
            panel: live ? <VmStatsTab uri={uri} name={name} /> : <Text size="sm">The VM is not running: statistics are read while it runs.</Text>,
          },
          { value: 'xml', label: 'XML', panel: <XmlTab uri={uri} name={name} running={live} /> },
          { value: 'snapshots', label: `Snapshots (${vm.snapshotCount})`, panel: <SnapshotsTab uri={uri} vm={vm} /> },
        ]}
      />
    </Stack>
  );
}

export function VmDetailPage() {
  const { uri = '', name = '' } = useParams();
  useVmChanges(uri);
  return (
    <VmDialogs>
      <Stack gap="md" maw={1400}>
        <ConnectionGate uri={uri}>
          <Detail key={`${uri} ${name}`} uri={uri} name={name} />
        </ConnectionGate>
      </Stack>
    </VmDialogs>
  );
}
