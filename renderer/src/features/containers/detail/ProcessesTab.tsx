// The processes running in a container (`docker top`), read on opening and on Refresh.
// Never imports node:*, electron or backend code.
import { Button, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useRpcQuery } from '../../../hooks/use-rpc-query';

function RunningProcesses({ id }: { id: string }) {
  const top = useRpcQuery('containers.top', { id });
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {top.data ? `${top.data.processes.length} ${top.data.processes.length === 1 ? 'process' : 'processes'}` : ''}
        </Text>
        <Button variant="default" size="xs" leftSection={<IconRefresh size={14} aria-hidden />} loading={top.isFetching} onClick={() => void top.refetch()}>
          Refresh
        </Button>
      </Group>
      {top.isPending && <Loader size="sm" aria-label="Reading the processes" />}
      {top.isError && <ErrorAlert title="Could not list the processes" error={top.error} />}
      {top.data && (
        <Table.ScrollContainer minWidth={600}>
          <Table striped fz="sm" ff="monospace" aria-label="Processes" data={{ head: top.data.titles, body: top.data.processes }} />
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

export function ProcessesTab({ id, running }: { id: string; running: boolean }) {
  if (!running) return <Text size="sm">The container is not running, so it has no processes.</Text>;
  return <RunningProcesses id={id} />;
}
