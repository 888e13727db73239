// The Storage page: a connection's libvirt pools (state, folder, use) with create/start/delete, the default
// pool offered when the connection lacks it, and the chosen pool's volumes with create/resize/delete.
// Never imports node:*, electron or backend code.
import { Alert, Badge, Button, Group, Progress, Stack, Text, Title } from '@mantine/core';
import { IconArrowsMaximize, IconFolderPlus, IconPlayerPlay, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { StoragePool, StorageVolume } from '@shared/storage-types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { RowAction } from '../../components/RowAction';
import { useRpcMutation } from '../../hooks/use-rpc-mutation';
import { useRpcQuery } from '../../hooks/use-rpc-query';
import { useSubmission } from '../../hooks/use-submission';
import { rpc } from '../../api';
import { statusColors, statusTextColors } from '../../theme';
import { formatBytes } from '../docker/format';
import { ObjectTable, type Column } from '../docker/ObjectTable';
import { useSelectedConnection } from '../vms/selected-connection';
import { ConnectionSelect } from './ConnectionSelect';
import { CreatePoolModal, CreateVolumeModal, DeletePoolModal, DeleteVolumeModal, ResizeVolumeModal } from './StorageDialogs';
import { poolSpace, usedPercent } from './storage-format';

type Dialog =
  | { kind: 'createPool' }
  | { kind: 'deletePool'; pool: StoragePool }
  | { kind: 'createVolume'; pool: string }
  | { kind: 'resizeVolume'; pool: string; volume: StorageVolume }
  | { kind: 'deleteVolume'; pool: string; volume: StorageVolume };

/** Active in the status palette's OK colour; every other state as a plain outline, named in words. */
function PoolStateBadge({ state }: { state: StoragePool['state'] }) {
  return state === 'running' ? (
    <Badge variant="light" color={statusColors.ok} styles={{ root: { color: statusTextColors.ok } }}>
      active
    </Badge>
  ) : (
    <Badge variant="outline" color="gray">
      {state}
    </Badge>
  );
}

const poolColumns: Column<StoragePool>[] = [
  { header: 'Name', cell: (pool) => pool.name, cellProps: { ff: 'monospace' } },
  {
    header: 'State',
    cell: (pool) => <PoolStateBadge state={pool.state} />,
  },
  { header: 'Type', cell: (pool) => pool.type },
  { header: 'Folder', cell: (pool) => pool.path ?? '—', cellProps: { ff: 'monospace', style: { wordBreak: 'break-all' } } },
  {
    header: 'Use',
    cell: (pool) => (
      <Stack gap={2} miw={160}>
        <Progress value={usedPercent(pool)} size="sm" aria-label={`${pool.name}: ${Math.round(usedPercent(pool))}% used`} />
        <Text size="xs" c="dimmed">
          {poolSpace(pool)}
        </Text>
      </Stack>
    ),
  },
  { header: 'Autostart', cell: (pool) => (pool.autostart ? 'yes' : 'no') },
];

const volumeColumns: Column<StorageVolume>[] = [
  { header: 'Name', cell: (volume) => volume.name, cellProps: { ff: 'monospace', style: { wordBreak: 'break-all' } } },
  { header: 'Format', cell: (volume) => volume.format ?? volume.type },
  { header: 'Size', cell: (volume) => formatBytes(volume.capacityBytes) },
  { header: 'On disk', cell: (volume) => formatBytes(volume.allocationBytes) },
  { header: 'Path', cell: (volume) => volume.path, cellProps: { ff: 'monospace', fz: 'xs', style: { wordBreak: 'break-all' } } },
];

/** Offered when the connection lacks the default pool (also in the create wizard, which needs a pool). */
export function DefaultPoolOffer({ uri }: { uri: string }) {
  const plan = useRpcQuery('storage.defaultPoolPlan', { uri });
  const queryClient = useQueryClient();
  const { pending, failure, submit } = useSubmission();
  if (!plan.data?.needed) return null;
  const { name, path } = plan.data;
  return (
    <Alert color="indigo" variant="light" title={`This connection has no "${name}" pool`}>
      <Stack gap="sm">
        <Text size="sm">
          New VM disks need a pool. Isolab can create a directory pool named {name} in <code>{path}</code>, started with the host.
        </Text>
        {failure !== null && <ErrorAlert title="libvirt did not create the default pool" error={failure} />}
        <Group>
          <Button
            size="xs"
            leftSection={<IconFolderPlus size={14} aria-hidden />}
            loading={pending}
            onClick={() =>
              void submit(async () => {
                await rpc.call('storage.createDefaultPool', { uri });
                void queryClient.invalidateQueries({ queryKey: ['storage.pools', { uri }] });
                void queryClient.invalidateQueries({ queryKey: ['storage.defaultPoolPlan', { uri }] });
                void queryClient.invalidateQueries({ queryKey: ['vmCreate.options', { uri }] });
              })
            }
          >
            Create the default pool
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

function Volumes({ uri, pool, open }: { uri: string; pool: StoragePool; open: (dialog: Dialog) => void }) {
  const volumes = useRpcQuery('storage.volumes', { uri, pool: pool.name });
  return (
    <Stack gap="sm" component="section" aria-labelledby="storage-volumes-title">
      <Group justify="space-between" align="flex-end">
        <Title order={2} size="h3" id="storage-volumes-title">
          Volumes in {pool.name}
        </Title>
        <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => open({ kind: 'createVolume', pool: pool.name })}>
          Create volume
        </Button>
      </Group>
      <ObjectTable
        nouns={['volume', 'volumes']}
        read={volumes}
        columns={volumeColumns}
        search={{ placeholder: 'Search by name', matches: (volume, needle) => volume.name.toLowerCase().includes(needle) }}
        sort={(a, b) => a.name.localeCompare(b.name)}
        rowKey={(volume) => volume.name}
        rowTestId="storage-volume-row"
        rowData={(volume) => ({ name: volume.name })}
        summary={(items) => `${items.length} volumes, ${formatBytes(items.reduce((sum, volume) => sum + volume.allocationBytes, 0))} on disk`}
        actions={(volume) => (
          <Group gap={4} wrap="nowrap">
            <RowAction tip="Resize" label={`Resize ${volume.name}`} icon={IconArrowsMaximize} onClick={() => open({ kind: 'resizeVolume', pool: pool.name, volume })} />
            <RowAction tip="Delete" label={`Delete ${volume.name}`} icon={IconTrash} color="red" onClick={() => open({ kind: 'deleteVolume', pool: pool.name, volume })} />
          </Group>
        )}
        emptyText="No volumes in this pool."
        minWidth={760}
      />
    </Stack>
  );
}

export function StoragePage() {
  const uri = useSelectedConnection();
  const pools = useRpcQuery('storage.pools', { uri });
  const startPool = useRpcMutation('storage.startPool', ({ pool }) => `Starting ${pool} failed`);
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const close = () => setDialog(null);
  const shown = pools.data?.find((pool) => pool.name === chosen) ?? pools.data?.find((pool) => pool.state === 'running');
  return (
    <Stack gap="lg" maw={1200}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Storage</Title>
          <Text c="dimmed">libvirt storage pools, where VM disks live, and their volumes.</Text>
        </div>
        <Group gap="sm" align="flex-end">
          <ConnectionSelect />
          <Button leftSection={<IconFolderPlus size={16} aria-hidden />} onClick={() => setDialog({ kind: 'createPool' })}>
            Create pool
          </Button>
        </Group>
      </Group>
      <DefaultPoolOffer uri={uri} />
      <ObjectTable
        nouns={['pool', 'pools']}
        read={pools}
        columns={poolColumns}
        sort={(a, b) => a.name.localeCompare(b.name)}
        rowKey={(pool) => pool.name}
        rowTestId="storage-pool-row"
        rowData={(pool) => ({ name: pool.name })}
        actions={(pool) => (
          <Group gap={4} wrap="nowrap">
            <Button size="compact-sm" variant={shown?.name === pool.name ? 'light' : 'subtle'} onClick={() => setChosen(pool.name)} aria-label={`Show the volumes of ${pool.name}`} disabled={pool.state !== 'running'}>
              Volumes
            </Button>
            {pool.state !== 'running' && (
              <RowAction
                tip="Start"
                label={`Start ${pool.name}`}
                icon={IconPlayerPlay}
                onClick={() =>
                  startPool.mutate({ uri, pool: pool.name }, { onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['storage.pools', { uri }] }) })
                }
              />
            )}
            <RowAction tip="Delete" label={`Delete ${pool.name}`} icon={IconTrash} color="red" onClick={() => setDialog({ kind: 'deletePool', pool })} />
          </Group>
        )}
        emptyText="This connection has no storage pools."
        minWidth={900}
      />
      {shown && <Volumes uri={uri} pool={shown} open={setDialog} />}
      {dialog?.kind === 'createPool' && <CreatePoolModal uri={uri} onClose={close} />}
      {dialog?.kind === 'deletePool' && <DeletePoolModal uri={uri} pool={dialog.pool} onClose={close} />}
      {dialog?.kind === 'createVolume' && <CreateVolumeModal uri={uri} pool={dialog.pool} onClose={close} />}
      {dialog?.kind === 'resizeVolume' && <ResizeVolumeModal uri={uri} pool={dialog.pool} volume={dialog.volume} onClose={close} />}
      {dialog?.kind === 'deleteVolume' && <DeleteVolumeModal uri={uri} pool={dialog.pool} volume={dialog.volume} onClose={close} />}
    </Stack>
  );
}
