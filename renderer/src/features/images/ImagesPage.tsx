// The images page: every local image (tags, id, size, age, containers using it; dangling marked), search, and
// run, tag, layers, remove per image; pull and prune dangling for all. Never imports node:*, electron or backend code.
import { ActionIcon, Badge, Button, Group, Loader, Paper, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconDownload, IconPlayerPlay, IconSearch, IconStack2, IconTag, IconTrash, IconTrashX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { ImageSummary } from '@shared/docker-types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useRpcQuery } from '../../hooks/use-rpc-query';
import { rpc } from '../../api';
import { DockerGate } from '../docker/EngineBanner';
import { formatBytes, formatDateTime, formatRelative } from '../docker/format';
import { ImageHistoryDrawer } from './ImageHistoryDrawer';
import { PullModal, RemoveImageModal, TagModal } from './ImageDialogs';
import { PruneModal } from './PruneModal';
import { shortId } from './short-id';

type Dialog = { kind: 'pull' } | { kind: 'prune' } | { kind: 'tag' | 'remove' | 'history'; image: ImageSummary };

function matches(image: ImageSummary, search: string): boolean {
  const needle = search.trim().toLowerCase();
  return needle === '' || image.id.includes(needle) || image.tags.some((tag) => tag.toLowerCase().includes(needle));
}

function ImageRow({ image, now, open }: { image: ImageSummary; now: number; open: (dialog: Dialog) => void }) {
  const name = image.tags[0] ?? shortId(image.id);
  return (
    <Table.Tr data-testid="image-row" data-tags={image.tags.join(' ')}>
      <Table.Td>
        <Group gap={6}>
          {image.dangling ? (
            <>
              <Text size="sm" c="dimmed">
                &lt;none&gt;
              </Text>
              <Badge variant="light" color="yellow" styles={{ root: { color: 'var(--isolab-status-warning)' } }}>
                dangling
              </Badge>
            </>
          ) : (
            image.tags.map((tag) => (
              <Text key={tag} size="sm" ff="monospace" fw={500}>
                {tag}
              </Text>
            ))
          )}
        </Group>
      </Table.Td>
      <Table.Td ff="monospace">{shortId(image.id)}</Table.Td>
      <Table.Td ta="right">{formatBytes(image.size)}</Table.Td>
      <Table.Td title={formatDateTime(image.created)}>{formatRelative(image.created, now)}</Table.Td>
      <Table.Td ta="right">{image.containers}</Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap" justify="flex-end">
          <Tooltip label={`Run a container from ${name}`}>
            <ActionIcon
              component={Link}
              to={`/containers/new?image=${encodeURIComponent(image.tags[0] ?? image.id)}`}
              variant="subtle"
              aria-label={`Run ${name}`}
            >
              <IconPlayerPlay size={18} aria-hidden />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Tag">
            <ActionIcon variant="subtle" aria-label={`Tag ${name}`} onClick={() => open({ kind: 'tag', image })}>
              <IconTag size={18} aria-hidden />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Layers and history">
            <ActionIcon variant="subtle" aria-label={`Layers of ${name}`} onClick={() => open({ kind: 'history', image })}>
              <IconStack2 size={18} aria-hidden />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Remove">
            <ActionIcon variant="subtle" color="red" aria-label={`Remove ${name}`} onClick={() => open({ kind: 'remove', image })}>
              <IconTrash size={18} aria-hidden />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

function ImageList({ open }: { open: (dialog: Dialog) => void }) {
  const images = useRpcQuery('images.list', {});
  const [search, setSearch] = useState('');
  // Ages are as of when the page opened; the list itself refreshes from engine events.
  const [now] = useState(() => Date.now());
  const shown = useMemo(() => (images.data ?? []).filter((image) => matches(image, search)).sort((a, b) => b.created - a.created), [images.data, search]);
  if (images.isPending) {
    return (
      <Group gap="sm" role="status">
        <Loader size="sm" />
        <Text>Reading images…</Text>
      </Group>
    );
  }
  if (images.isError) return <ErrorAlert title="Could not list images" error={images.error} />;
  const totalSize = images.data.reduce((sum, image) => sum + image.size, 0);
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <TextInput
          aria-label="Search images"
          placeholder="Search by name or id"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={320}
        />
        <Text size="sm" c="dimmed">
          {images.data.length} image{images.data.length === 1 ? '' : 's'}, {formatBytes(totalSize)}
        </Text>
      </Group>
      <Paper withBorder>
        <Table.ScrollContainer minWidth={760}>
          <Table highlightOnHover verticalSpacing="xs" aria-label="Images">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Tags</Table.Th>
                <Table.Th>ID</Table.Th>
                <Table.Th ta="right">Size</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th ta="right">Containers</Table.Th>
                <Table.Th ta="right">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((image) => (
                <ImageRow key={image.id} image={image} now={now} open={open} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {shown.length === 0 && (
          <Text p="md" c="dimmed" ta="center">
            {images.data.length === 0 ? 'No images yet: pull one.' : 'No image matches the search.'}
          </Text>
        )}
      </Paper>
    </Stack>
  );
}

function PruneImages({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const estimate = useRpcQuery('images.pruneEstimate', {});
  return (
    <PruneModal
      title="Prune dangling images"
      what="dangling images"
      estimate={{
        ready: !estimate.isPending,
        ...(estimate.isError ? { error: estimate.error } : {}),
        ...(estimate.data
          ? {
              nothing: estimate.data.count === 0,
              text:
                estimate.data.count === 0
                  ? 'There are no dangling images: nothing to free.'
                  : `${estimate.data.count} dangling image${estimate.data.count === 1 ? '' : 's'}, ${formatBytes(estimate.data.size)} would be freed. Images with a name are kept.`,
            }
          : {}),
      }}
      prune={async () => {
        const result = await rpc.call('images.prune', {});
        void queryClient.invalidateQueries({ queryKey: ['images.list'] });
        void queryClient.invalidateQueries({ queryKey: ['images.pruneEstimate'] });
        return result;
      }}
      onClose={onClose}
    />
  );
}

export function ImagesPage() {
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);
  return (
    <Stack gap="lg" maw={1200}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Images</Title>
          <Text c="dimmed">The images on this Docker engine: run, tag, inspect their layers, pull new ones.</Text>
        </div>
        <Group gap="sm">
          <Button variant="default" leftSection={<IconTrashX size={16} aria-hidden />} onClick={() => setDialog({ kind: 'prune' })}>
            Prune dangling
          </Button>
          <Button leftSection={<IconDownload size={16} aria-hidden />} onClick={() => setDialog({ kind: 'pull' })}>
            Pull image
          </Button>
        </Group>
      </Group>
      <DockerGate>
        <ImageList open={setDialog} />
      </DockerGate>
      {dialog?.kind === 'pull' && <PullModal onClose={close} />}
      {dialog?.kind === 'prune' && <PruneImages onClose={close} />}
      {dialog?.kind === 'tag' && <TagModal image={dialog.image} onClose={close} />}
      {dialog?.kind === 'remove' && <RemoveImageModal image={dialog.image} onClose={close} />}
      {dialog?.kind === 'history' && <ImageHistoryDrawer image={dialog.image} onClose={close} />}
    </Stack>
  );
}
