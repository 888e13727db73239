// The images page: every local image (tags, id, size, age, containers using it; dangling marked), search, and
// run, tag, layers, remove per image; pull and prune dangling for all. Never imports node:*, electron or backend code.
import { Badge, Group, Text } from '@mantine/core';
import { IconDownload, IconPlayerPlay, IconStack2, IconTag, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ImageSummary } from '@shared/docker-types';
import { RowAction } from '../../components/RowAction';
import { useRpcQuery } from '../../hooks/use-rpc-query';
import { rpc } from '../../api';
import { formatBytes } from '../docker/format';
import { Age, ObjectTable, type Column } from '../docker/ObjectTable';
import { ObjectsPage } from '../docker/ObjectsPage';
import { PruneModal } from '../docker/PruneModal';
import { ImageHistoryDrawer } from './ImageHistoryDrawer';
import { PullModal, RemoveImageModal, TagModal } from './ImageDialogs';
import { shortId } from './short-id';

type Dialog = { kind: 'pull' } | { kind: 'prune' } | { kind: 'tag' | 'remove' | 'history'; image: ImageSummary };

function Tags({ image }: { image: ImageSummary }) {
  return (
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
  );
}

const columns: Column<ImageSummary>[] = [
  { header: 'Tags', cell: (image) => <Tags image={image} /> },
  { header: 'ID', cell: (image) => shortId(image.id), cellProps: { ff: 'monospace' } },
  { header: 'Size', cell: (image) => formatBytes(image.size), cellProps: { ta: 'right' } },
  { header: 'Created', cell: (image, now) => <Age at={image.created} now={now} /> },
  { header: 'Containers', cell: (image) => image.containers, cellProps: { ta: 'right' } },
];

const search = {
  placeholder: 'Search by name or id',
  matches: (image: ImageSummary, needle: string) => image.id.includes(needle) || image.tags.some((tag) => tag.toLowerCase().includes(needle)),
};
const newestFirst = (a: ImageSummary, b: ImageSummary) => b.created - a.created;
const summary = (images: ImageSummary[]) =>
  `${images.length} image${images.length === 1 ? '' : 's'}, ${formatBytes(images.reduce((sum, image) => sum + image.size, 0))}`;

function ImageActions({ image, open }: { image: ImageSummary; open: (dialog: Dialog) => void }) {
  const name = image.tags[0] ?? shortId(image.id);
  return (
    <>
      <RowAction tip={`Run a container from ${name}`} label={`Run ${name}`} icon={IconPlayerPlay} to={`/containers/new?image=${encodeURIComponent(image.tags[0] ?? image.id)}`} />
      <RowAction tip="Tag" label={`Tag ${name}`} icon={IconTag} onClick={() => open({ kind: 'tag', image })} />
      <RowAction tip="Layers and history" label={`Layers of ${name}`} icon={IconStack2} onClick={() => open({ kind: 'history', image })} />
      <RowAction tip="Remove" label={`Remove ${name}`} icon={IconTrash} color="red" onClick={() => open({ kind: 'remove', image })} />
    </>
  );
}

function ImageList({ open }: { open: (dialog: Dialog) => void }) {
  const images = useRpcQuery('images.list', {});
  return (
    <ObjectTable
      nouns={['image', 'images']}
      read={images}
      columns={columns}
      search={search}
      sort={newestFirst}
      rowKey={(image) => image.id}
      rowTestId="image-row"
      rowData={(image) => ({ tags: image.tags.join(' '), id: image.id })}
      actions={(image) => <ImageActions image={image} open={open} />}
      summary={summary}
      emptyText="No images yet: pull one."
      minWidth={760}
    />
  );
}

function PruneImages({ onClose }: { onClose: () => void }) {
  // Read afresh each time the dialog opens: engine events refresh the image list, not this estimate.
  const estimate = useQuery({ queryKey: ['images.pruneEstimate', {}], queryFn: () => rpc.call('images.pruneEstimate', {}), gcTime: 0 });
  const count = estimate.data?.count ?? 0;
  return (
    <PruneModal
      title="Prune dangling images"
      what="dangling images"
      source={estimate}
      nothing={estimate.data?.count === 0}
      estimate={
        count === 0
          ? 'There are no dangling images: nothing to free.'
          : `${count} dangling image${count === 1 ? '' : 's'}, up to ${formatBytes(estimate.data?.size ?? 0)} would be freed (layers shared with other images stay). Images with a name are kept.`
      }
      prune={() => rpc.call('images.prune', {})}
      invalidates={['images.list', 'images.pruneEstimate']}
      onClose={onClose}
    />
  );
}

export function ImagesPage() {
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);
  return (
    <ObjectsPage
      title="Images"
      description="The images on this Docker engine: run, tag, inspect their layers, pull new ones."
      pruneLabel="Prune dangling"
      onPrune={() => setDialog({ kind: 'prune' })}
      action={{ label: 'Pull image', icon: IconDownload, onClick: () => setDialog({ kind: 'pull' }) }}
      list={<ImageList open={setDialog} />}
    >
      {dialog?.kind === 'pull' && <PullModal onClose={close} />}
      {dialog?.kind === 'prune' && <PruneImages onClose={close} />}
      {dialog?.kind === 'tag' && <TagModal image={dialog.image} onClose={close} />}
      {dialog?.kind === 'remove' && <RemoveImageModal image={dialog.image} onClose={close} />}
      {dialog?.kind === 'history' && <ImageHistoryDrawer image={dialog.image} onClose={close} />}
    </ObjectsPage>
  );
}
