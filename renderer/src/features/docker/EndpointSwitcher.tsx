// Which Docker endpoint Isolab uses: "Automatic (first that answers)" or one candidate, each shown with its
// state; choosing one calls docker.useEndpoint. Never imports node:*, electron or backend code.
import { Select } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { DockerConnection } from '@shared/docker-types';
import type { DockerEndpointState } from '@shared/types';
import { useRpcMutation } from '../../hooks/use-rpc-mutation';
import { connectionKey, invalidateDockerReads } from './docker-cache';

const automatic = 'automatic';

const stateWords: Record<DockerEndpointState, string> = {
  answers: 'answers',
  missing: 'not found',
  refused: 'refused',
  'permission-denied': 'permission denied',
  timeout: 'no answer',
  error: 'error',
};

export function EndpointSwitcher({ connection }: { connection: DockerConnection }) {
  const queryClient = useQueryClient();
  const useEndpoint = useRpcMutation('docker.useEndpoint', ({ address }) => `Could not switch to ${address ?? 'the first endpoint that answers'}`);
  const data = [
    { value: automatic, label: 'Automatic (first that answers)' },
    ...connection.endpoints.map((endpoint) => ({
      value: endpoint.address,
      label: `${endpoint.contextName ? `context "${endpoint.contextName}"` : endpoint.source}: ${endpoint.address} (${stateWords[endpoint.state]})`,
    })),
  ];
  return (
    <Select
      label="Docker endpoint"
      data={data}
      value={connection.chosen ?? automatic}
      allowDeselect={false}
      w={{ base: '100%', sm: 420 }}
      disabled={useEndpoint.isPending}
      description={connection.status === 'connected' ? `Using ${connection.address ?? ''}` : 'No endpoint answers'}
      onChange={(value) => {
        if (!value) return;
        useEndpoint.mutate(
          { address: value === automatic ? null : value },
          {
            onSuccess: (next) => {
              queryClient.setQueryData(connectionKey, next);
              invalidateDockerReads(queryClient);
            },
          },
        );
      }}
    />
  );
}
