// The Docker facts: every candidate endpoint with its state (the first that answers is used), and the engine.
// Never imports node:*, electron or backend code.
import { Stack, Table } from '@mantine/core';
import type { DockerFacts } from '@shared/types';
import { FactList } from '../../components/FactList';

export function DockerFactsView({ facts }: { facts: DockerFacts }) {
  const { engine } = facts;
  return (
    <Stack gap="md">
      <Table.ScrollContainer minWidth={600}>
        <Table
          striped
          captionSide="top"
          data={{
            caption: 'Endpoints, in the order they are tried',
            head: ['Source', 'Address', 'State', 'In use'],
            body: facts.endpoints.map((endpoint) => [
              endpoint.contextName ? `${endpoint.source} "${endpoint.contextName}"` : endpoint.source,
              endpoint.address,
              endpoint.message,
              endpoint.used ? 'yes' : '',
            ]),
          }}
        />
      </Table.ScrollContainer>
      {engine && (
        <FactList
          facts={[
            ['Product', engine.product],
            ['Server version', engine.serverVersion],
            ['API version', engine.apiVersion],
            ['Operating system', engine.operatingSystem],
            ['Storage driver', engine.storageDriver],
            ['Cgroup driver', `${engine.cgroupDriver}${engine.cgroupVersion ? ` (cgroup v${engine.cgroupVersion})` : ''}`],
            ['Engine kernel', engine.kernelVersion],
            ['Host kernel', engine.hostKernel],
          ]}
        />
      )}
    </Stack>
  );
}
