// One container: its name, state and actions, then tabs for the overview, raw inspect JSON, logs, live stats
// and processes. Only the shown tab is mounted, so logs and stats streams run only while seen.
// Never imports node:*, electron or backend code.
import { Group, Stack, Text } from '@mantine/core';
import { useNavigate, useParams } from 'react-router';
import type { ContainerDetail } from '@shared/docker-types';
import { DetailHeader, DetailReadFailure, DetailTabs, type BackTo } from '../../../components/DetailPage';
import { ReadingStatus } from '../../../components/ReadingStatus';
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

const back: BackTo = { to: '/containers', label: 'All containers' };

function Header({ detail }: { detail: ContainerDetail }) {
  const pending = usePendingActions();
  const navigate = useNavigate();
  return (
    <DetailHeader
      back={back}
      title={detail.name}
      badges={<ContainerStateBadge state={detail.state} />}
      facts={`${detail.status} · ${detail.image} · ${detail.id.slice(0, 12)}`}
      actions={
        <Group gap="xs">
          <OpenShellButton container={{ id: detail.id, name: detail.name, running: detail.state === 'running', tty: detail.tty }} layout="header" />
          <ContainerActions container={detail} pending={pending.get(detail.id)} layout="header" onRemoved={() => void navigate('/containers')} />
        </Group>
      }
    />
  );
}

function Detail({ id }: { id: string }) {
  const inspect = useRpcQuery('containers.inspect', { id });
  if (inspect.isPending) return <ReadingStatus text="Reading the container…" />;
  if (inspect.isError) {
    return (
      <DetailReadFailure
        back={back}
        error={inspect.error}
        noun="container"
        missingTestId="container-missing"
        missingText={
          <>
            The engine has no container <strong>{id}</strong>: it was removed, or never existed.
          </>
        }
        failureTitle="The engine did not answer for this container"
      />
    );
  }

  const detail = inspect.data;
  const live = detail.state === 'running' || detail.state === 'paused' || detail.state === 'restarting';
  return (
    <Stack gap="md">
      <Header detail={detail} />
      <DetailTabs
        tabs={[
          { value: 'overview', label: 'Overview', panel: <OverviewTab detail={detail} /> },
          { value: 'inspect', label: 'Inspect', panel: <InspectTab raw={detail.raw} /> },
          { value: 'logs', label: 'Logs', panel: <LogsTab id={detail.id} name={detail.name} /> },
          {
            value: 'stats',
            label: 'Stats',
            panel: live ? (
              <StatsTab id={detail.id} memoryLimitSet={detail.limits.memoryBytes > 0} />
            ) : (
              <Text size="sm">The container is not running: statistics are read while it runs.</Text>
            ),
          },
          { value: 'processes', label: 'Processes', panel: <ProcessesTab id={detail.id} running={live} /> },
        ]}
      />
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
