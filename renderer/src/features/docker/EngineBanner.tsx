// Where a Docker list would be when no engine answers: what happened, the engine's words, the fix, when
// Isolab tries again, and another endpoint to pick. Never an empty list. Never imports node:*, electron or backend code.
import { Group, Loader, Text } from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import type { DockerConnection } from '@shared/docker-types';
import { AppError } from '@shared/errors';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ReadingStatus } from '../../components/ReadingStatus';
import { UnreachableBanner } from '../../components/UnreachableBanner';
import { EndpointSwitcher } from './EndpointSwitcher';
import { useDockerConnection } from './use-docker-changes';

function useSecondsUntil(deadline: number | undefined): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === undefined) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [deadline]);
  return deadline === undefined ? undefined : Math.max(0, Math.ceil((deadline - now) / 1000));
}

export function EngineBanner({ connection, receivedAt }: { connection: DockerConnection; receivedAt: number }) {
  const deadline = connection.retryInMs === undefined ? undefined : receivedAt + connection.retryInMs;
  const seconds = useSecondsUntil(deadline);
  const error = connection.error ? AppError.fromWire(connection.error) : new AppError('UNAVAILABLE', 'No Docker endpoint answers.');
  const denied = error.code === 'PERMISSION_DENIED';
  return (
    <UnreachableBanner testId="engine-banner" title={denied ? 'Docker refuses this user' : 'The Docker engine is not reachable'}>
      {denied && (
        <Text size="sm">
          The Docker socket belongs to root and the docker group. Members of that group may use it; a membership granted
          after you logged in counts only in a new login session.
        </Text>
      )}
      <ErrorAlert title={denied ? 'Permission denied on the Docker socket' : 'No engine answers'} error={error} />
      {seconds !== undefined && (
        <Group gap="xs" role="status">
          <Loader size="xs" />
          <Text size="sm">{seconds > 0 ? `Reconnecting in ${seconds} s` : 'Reconnecting…'}</Text>
        </Group>
      )}
      <EndpointSwitcher connection={connection} />
    </UnreachableBanner>
  );
}

/**
 * Shows `children` (a Docker list or detail) while an engine answers; otherwise the banner in their place.
 * `children` see errors of their own reads only when the engine is up.
 */
export function DockerGate({ children }: { children: ReactNode }) {
  const connection = useDockerConnection();
  if (connection.isPending) return <ReadingStatus text="Connecting to Docker…" />;
  if (connection.isError) return <ErrorAlert title="Could not read the Docker connection" error={connection.error} />;
  if (connection.data.status === 'unavailable') return <EngineBanner connection={connection.data} receivedAt={connection.dataUpdatedAt} />;
  return children;
}
