// One VM: its name, state, acceleration and actions, then tabs for the overview, live stats, the domain XML and
// snapshots. Only the shown tab is mounted, so the stats stream runs only while seen; libvirt events keep the
// page fresh. Never imports node:*, electron or backend code.
import { Anchor, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { AppError } from '@shared/errors';
import type { VmDetail } from '@shared/vm-types';
import { ErrorAlert } from '../../../components/ErrorAlert';
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
import { ReadingStatus } from '../ReadingStatus';

const tabs = ['overview', 'stats', 'xml', 'snapshots'] as const;
type TabName = (typeof tabs)[number];

function BackLink() {
  return (
    <Anchor component={Link} to="/vms" size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        All VMs
      </Group>
    </Anchor>
  );
}

function Header({ uri, detail }: { uri: string; detail: VmDetail }) {
  const pending = usePendingVmActions();
  const navigate = useNavigate();
  return (
    <Group justify="space-between" align="flex-end">
      <Stack gap={4}>
        <BackLink />
        <Group gap="sm">
          <Title order={1}>{detail.name}</Title>
          <VmStateBadge state={detail.state} reason={detail.reason} />
          <AccelerationBadge acceleration={detail.acceleration} domainType={detail.domainType} />
        </Group>
        <Text size="sm" c="dimmed">
          {[detail.title, detail.osId, uri].filter(Boolean).join(' · ')}
        </Text>
      </Stack>
      <VmActions uri={uri} vm={detail} pending={pending.get(pendingKey(uri, detail.name))} layout="header" onDeleted={() => void navigate('/vms')} />
    </Group>
  );
}

function Detail({ uri, name }: { uri: string; name: string }) {
  const detail = useRpcQuery('vms.detail', { uri, name });
  const [params, setParams] = useSearchParams();
  const tab: TabName = tabs.find((candidate) => candidate === params.get('tab')) ?? 'overview';

  if (detail.isPending) {
    return (
      <ReadingStatus what="Reading the VM…" />
    );
  }
  if (detail.isError) {
    const missing = detail.error instanceof AppError && detail.error.code === 'NOT_FOUND';
    return (
      <Stack gap="md" align="flex-start" data-testid={missing ? 'vm-missing' : undefined}>
        <BackLink />
        <Title order={1}>{missing ? 'No such VM' : 'Could not read the VM'}</Title>
        {missing ? (
          <Text>
            {uri} has no VM named <strong>{name}</strong>: it was deleted, or never existed.
          </Text>
        ) : (
          <ErrorAlert title="libvirt did not answer for this VM" error={detail.error} />
        )}
      </Stack>
    );
  }
  const vm = detail.data;
  const live = vm.state !== 'shutoff' && vm.state !== 'crashed' && vm.state !== 'nostate';
  return (
    <Stack gap="md">
      <Header uri={uri} detail={vm} />
      <Tabs value={tab} onChange={(value) => setParams(value && value !== 'overview' ? { tab: value } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          <Tabs.Tab value="stats">Stats</Tabs.Tab>
          <Tabs.Tab value="xml">XML</Tabs.Tab>
          <Tabs.Tab value="snapshots">Snapshots ({vm.snapshotCount})</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          <OverviewTab detail={vm} />
        </Tabs.Panel>
        <Tabs.Panel value="stats" pt="md">
          {live ? <VmStatsTab uri={uri} name={name} /> : <Text size="sm">The VM is not running: statistics are read while it runs.</Text>}
        </Tabs.Panel>
        <Tabs.Panel value="xml" pt="md">
          <XmlTab uri={uri} name={name} running={live} />
        </Tabs.Panel>
        <Tabs.Panel value="snapshots" pt="md">
          <SnapshotsTab uri={uri} vm={vm} />
        </Tabs.Panel>
      </Tabs>
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
