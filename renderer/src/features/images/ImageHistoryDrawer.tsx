// An image's layers (images.inspect history: what created each one and its size) and its run settings.
// Never imports node:*, electron or backend code.
import { Code, Drawer, ScrollArea, Stack, Table, Title } from '@mantine/core';
import { useState } from 'react';
import type { ImageDetail, ImageSummary } from '@shared/docker-types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FactList } from '../../components/FactList';
import { ReadingStatus } from '../../components/ReadingStatus';
import { useRpcQuery } from '../../hooks/use-rpc-query';
import { formatBytes, formatDateTime, formatRelative } from '../docker/format';
import { shortId } from './short-id';

function settings(detail: ImageDetail): [string, string][] {
  const { config } = detail;
  return [
    ['Platform', `${detail.os}/${detail.architecture}`],
    ['Entrypoint', config.entrypoint.join(' ') || '(none)'],
    ['Command', config.cmd.join(' ') || '(none)'],
    ['Working directory', config.workingDir || '/'],
    ['User', config.user || 'root (default)'],
    ['Exposed ports', config.exposedPorts.join(', ') || '(none)'],
    ['Environment', config.env.join('\n') || '(none)'],
    ['Layers', String(detail.rootFsLayers.length)],
  ];
}

function History({ id }: { id: string }) {
  const detail = useRpcQuery('images.inspect', { id });
  const [now] = useState(() => Date.now());
  if (detail.isPending) return <ReadingStatus text="Reading the image…" />;
  if (detail.isError) return <ErrorAlert title="Could not read the image" error={detail.error} />;
  return (
    <Stack gap="lg">
      <FactList facts={settings(detail.data)} />
      <Title order={3} size="h4">
        History
      </Title>
      <ScrollArea>
        <Table striped verticalSpacing="xs" aria-label="Image history" data-testid="image-history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Created</Table.Th>
              <Table.Th>Created by</Table.Th>
              <Table.Th ta="right">Size</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {detail.data.history.map((layer, index) => (
              <Table.Tr key={`${layer.id}-${index}`}>
                <Table.Td style={{ whiteSpace: 'nowrap' }} title={formatDateTime(layer.created)}>
                  {formatRelative(layer.created, now)}
                </Table.Td>
                <Table.Td>
                  <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                    {layer.createdBy || layer.comment || '(no command recorded)'}
                  </Code>
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {formatBytes(layer.size)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Stack>
  );
}

export function ImageHistoryDrawer({ image, onClose }: { image: ImageSummary; onClose: () => void }) {
  return (
    <Drawer opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close dialog' }} position="right" size="xl" title={`Layers of ${image.tags[0] ?? shortId(image.id)}`}>
      <History id={image.id} />
    </Drawer>
  );
}
