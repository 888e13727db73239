// One container: its name, state and actions, then tabs for the overview, raw inspect JSON, logs, live stats
// and processes. Only the shown tab is mounted, so logs and stats streams run only while seen.
// Never imports node:*, electron or backend code.
import { Anchor, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { ContainerDetail } from '@shared/docker-types';
import { AppError } from '@shared/errors';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useRpcQuery } from '../../../hooks/use-rpc-query';
import { DockerGate } from '../../docker/EngineBanner';
import { OpenShellButton } from '../../terminal/OpenShellButton';
import { ContainerActions } from '../ContainerActions';
import { ContainerDialogs } from '../ContainerDialogs';
import { ContainerStateBadge } from '../ContainerStateBadge';
import { usePendingActions } from '../use-container-actions';
import { InspectTab } from './InspectTab';
import { LogsTab } from './LogsTab';
import { OverviewTab } from './OverviewTab';
import { ProcessesTab } from './ProcessesTab';
import { StatsTab } from './StatsTab';

const tabs = ['overview', 'inspect', 'logs', 'stats', 'processes'] as const;
type TabName = (typeof tabs)[number];

function BackLink() {
  return (
    <Anchor component={Link} to="/containers" size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        All containers
      </Group>
    </Anchor>
  );
}

function Header({ detail }: { detail: ContainerDetail }) {
  const pending = usePendingActions();
  const navigate = useNavigate();
  return (
    <Group justify="space-between" align="flex-end">
      <Stack gap={4}>
        <BackLink />
        <Group gap="sm">
          <Title order={1}>{detail.name}</Title>
          <ContainerStateBadge state={detail.state} />
        </Group>
        <Text size="sm" c="dimmed">
          {detail.status} · {detail.image} · {detail.id.slice(0, 12)}
        </Text>
      </Stack>
      <Group gap="xs">
        <OpenShellButton container={{ id: detail.id, name: detail.name, running: detail.state === 'running', tty: detail.tty }} layout="header" />
        <ContainerActions container={detail} pending={pending.get(detail.id)} layout="header" onRemoved={() => void navigate('/containers')} />
      </Group>
    </Group>
  );
}

function Detail({ id }: { id: string }) {
  const inspect = useRpcQuery('containers.inspect', { id });
  const [params, setParams] = useSearchParams();
  const tab: TabName = tabs.find((name) => name === params.get('tab')) ?? 'overview';

  if (inspect.isPending) {
    return (
      <Group gap="sm" role="status">
        <Loader size="sm" />
        <Text>Reading the container…</Text>
      </Group>
    );
  }
  if (inspect.isError) {
    const missing = inspect.error instanceof AppError && inspect.error.code === 'NOT_FOUND';
    return (
      <Stack gap="md" align="flex-start" data-testid={missing ? 'container-missing' : undefined}>
        <BackLink />
        <Title order={1}>{missing ? 'No such container' : 'Could not read the container'}</Title>
        {missing ? (
          <Text>
            The engine has no container <strong>{id}</strong>: it was removed, or never existed.
          </Text>
        ) : (
          <ErrorAlert title="The engine did not answer for this container" error={inspect.error} />
        )}
      </Stack>
    );
  }

  const detail = inspect.data;
  const live = detail.state === 'running' || detail.state === 'paused' || detail.state === 'restarting';
  return (
    <Stack gap="md">
      <Header detail={detail} />
      <Tabs value={tab} onChange={(value) => setParams(value && value !== 'overview' ? { tab: value } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          <Tabs.Tab value="inspect">Inspect</Tabs.Tab>
          <Tabs.Tab value="logs">Logs</Tabs.Tab>
          <Tabs.Tab value="stats">Stats</Tabs.Tab>
          <Tabs.Tab value="processes">Processes</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          <OverviewTab detail={detail} />
        </Tabs.Panel>
        <Tabs.Panel value="inspect" pt="md">
          <InspectTab raw={detail.raw} />
        </Tabs.Panel>
        <Tabs.Panel value="logs" pt="md">
          <LogsTab id={detail.id} name={detail.name} />
        </Tabs.Panel>
        <Tabs.Panel value="stats" pt="md">
          {live ? (
            <StatsTab id={detail.id} memoryLimitSet={detail.limits.memoryBytes > 0} />
          ) : (
            <Text size="sm">The container is not running: statistics are read while it runs.</Text>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="processes" pt="md">
          <ProcessesTab id={detail.id} running={live} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

export function ContainerDetailPage() {
  const { id = '' } = useParams();
  return (
    <ContainerDialogs>
      <Stack gap="md" maw={1400}>
        <DockerGate>
          <Detail key={id} id={id} />
        </DockerGate>
      </Stack>
    </ContainerDialogs>
  );
}
