// A pull's progress: one overall bar (bytes over layers whose size is known) and a bar per layer with its
// status. Never imports node:*, electron or backend code.
import { Group, Progress, ScrollArea, Stack, Table, Text } from '@mantine/core';
import type { PullLayer, PullProgress } from '@shared/docker-types';
import { formatBytes } from '../docker/format';
import { shortId } from './short-id';

const finished = new Set(['Pull complete', 'Already exists', 'Download complete']);

function layerPercent(layer: PullLayer): number {
  if (layer.status === 'Pull complete' || layer.status === 'Already exists') return 100;
  return layer.total > 0 ? Math.min(100, (layer.current / layer.total) * 100) : 0;
}

function layerColor(layer: PullLayer): string {
  if (finished.has(layer.status)) return 'teal';
  return layer.status === 'Extracting' ? 'violet' : 'indigo';
}

export function PullProgressView({ progress, reference }: { progress: PullProgress | undefined; reference: string }) {
  const layers = progress?.layers ?? [];
  const complete = layers.length > 0 && layers.every((layer) => layer.status === 'Pull complete' || layer.status === 'Already exists');
  const overall = progress?.done || complete ? 100 : progress && progress.total > 0 ? (progress.current / progress.total) * 100 : 0;
  return (
    <Stack gap="sm" data-testid="pull-progress">
      <Stack gap={4}>
        <Group justify="space-between" gap="xs">
          <Text size="sm" fw={600}>
            {reference}
          </Text>
          <Text size="sm" c="dimmed">
            {progress && progress.total > 0 ? `${formatBytes(progress.current)} of ${formatBytes(progress.total)}` : `${layers.length} layers`}
          </Text>
        </Group>
        <Progress value={overall} size="lg" aria-label={`Pull of ${reference}: ${Math.round(overall)}%`} animated={!progress?.done && overall < 100} />
        <Text size="xs" c="dimmed" aria-live="polite">
          {progress?.status || (progress ? 'Pulling…' : 'Asking the registry…')}
        </Text>
      </Stack>
      {layers.length > 0 && (
        <ScrollArea.Autosize mah={260}>
          <Table verticalSpacing={4} aria-label="Layers">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Layer</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th w="45%">Progress</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {layers.map((layer) => (
                <Table.Tr key={layer.id} data-testid="pull-layer">
                  <Table.Td ff="monospace">{shortId(layer.id)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{layer.status}</Text>
                    {layer.total > 0 && !finished.has(layer.status) && (
                      <Text size="xs" c="dimmed">
                        {formatBytes(layer.current)} / {formatBytes(layer.total)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Progress value={layerPercent(layer)} color={layerColor(layer)} aria-label={`Layer ${shortId(layer.id)}: ${layer.status}`} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </Stack>
  );
}
