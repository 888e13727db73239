// The volumes page: every volume with the containers that mount it; create (name checked as typed), remove
// (force), prune unused. Never imports node:*, electron or backend code.
import { Badge, Checkbox, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { volumeNameSchema } from '@shared/docker-schemas';
import type { VolumeSummary } from '@shared/docker-types';
import { ConfirmModal } from '../../components/ConfirmModal';
import { FormModal } from '../../components/FormModal';
import { RowAction } from '../../components/RowAction';
import { useRpcQuery } from '../../hooks/use-rpc-query';
import { rpc } from '../../api';
import { Age, ObjectTable, type Column } from '../docker/ObjectTable';
import { ObjectsPage } from '../docker/ObjectsPage';
import { PruneModal } from '../docker/PruneModal';
import { UsedBy } from '../docker/UsedBy';

type Dialog = { kind: 'create' } | { kind: 'prune' } | { kind: 'remove'; volume: VolumeSummary };

function CreateVolumeModal({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const checked = volumeNameSchema.safeParse(name);
  const error = name === '' ? 'Type a name.' : checked.success ? undefined : checked.error.issues[0]?.message;
  return (
    <FormModal
      title="Create volume"
      submitLabel="Create"
      failureTitle="The engine did not create the volume"
      onClose={onClose}
      check={() => {
        setTouched(true);
        return !error;
      }}
      action={async () => {
        await rpc.call('volumes.create', { name, labels: {} });
        void queryClient.invalidateQueries({ queryKey: ['volumes.list'] });
      }}
    >
      <TextInput
        label="Name"
        description="Letters, digits, _ . and -; the local driver keeps it under /var/lib/docker/volumes."
        value={name}
        onChange={(event) => setName(event.currentTarget.value)}
        onBlur={() => setTouched(true)}
        error={touched ? error : undefined}
        data-autofocus
      />
    </FormModal>
  );
}

function RemoveVolumeModal({ volume, onClose }: { volume: VolumeSummary; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [force, setForce] = useState(false);
  return (
    <ConfirmModal
      title="Remove volume"
      confirmLabel="Remove"
      failureTitle="The engine did not remove the volume"
      onClose={onClose}
      onConfirm={async () => {
        await rpc.call('volumes.remove', { name: volume.name, force });
        void queryClient.invalidateQueries({ queryKey: ['volumes.list'] });
      }}
    >
      <Text size="sm">
        Remove the volume <strong>{volume.name}</strong> and every file in it? This cannot be undone.
      </Text>
      {volume.usedBy.length > 0 && (
        <Text size="sm">Containers that mount it: {volume.usedBy.join(', ')}. The engine refuses while a container uses it, even with force.</Text>
      )}
      <Checkbox
        checked={force}
        onChange={(event) => setForce(event.currentTarget.checked)}
        label="Force"
        description="Remove it even when its driver reports an error."
      />
    </ConfirmModal>
  );
}

const createdAt = (volume: VolumeSummary) => Date.parse(volume.created) / 1000;

const columns: Column<VolumeSummary>[] = [
  { header: 'Name', cell: (volume) => volume.name, cellProps: { ff: 'monospace', style: { wordBreak: 'break-all' } } },
  {
    header: 'Driver',
    cell: (volume) => (
      <Badge variant="outline" color="gray">
        {volume.driver}
      </Badge>
    ),
  },
  { header: 'Created', cell: (volume, now) => <Age at={createdAt(volume)} now={now} /> },
  { header: 'Used by', cell: (volume) => <UsedBy names={volume.usedBy} /> },
];

const search = { placeholder: 'Search by name', matches: (volume: VolumeSummary, needle: string) => volume.name.toLowerCase().includes(needle) };
const byName = (a: VolumeSummary, b: VolumeSummary) => a.name.localeCompare(b.name);

function VolumeList({ open }: { open: (dialog: Dialog) => void }) {
  const volumes = useRpcQuery('volumes.list', {});
  return (
    <ObjectTable
      nouns={['volume', 'volumes']}
      read={volumes}
      columns={columns}
      search={search}
      sort={byName}
      rowKey={(volume) => volume.name}
      rowTestId="volume-row"
      rowData={(volume) => ({ name: volume.name })}
      actions={(volume) => <RowAction tip="Remove" label={`Remove ${volume.name}`} icon={IconTrash} color="red" onClick={() => open({ kind: 'remove', volume })} />}
      emptyText="No volumes yet."
      minWidth={700}
    />
  );
}

// Engines before Docker 23 (API 1.42) prune every unused volume, named or not; later ones only anonymous volumes.
function PruneVolumes({ onClose }: { onClose: () => void }) {
  const volumes = useRpcQuery('volumes.list', {});
  const unused = (volumes.data ?? []).filter((volume) => volume.usedBy.length === 0).map((volume) => volume.name);
  return (
    <PruneModal
      title="Prune unused volumes"
      what="unused volumes"
      source={volumes}
      nothing={unused.length === 0}
      estimate={
        unused.length === 0
          ? 'Every volume is used by a container: nothing to prune.'
          : `No container uses ${unused.length === 1 ? 'this volume' : `these ${unused.length} volumes`}: ${unused.join(', ')}. Prune removes them with their data (Docker 23 and later remove only the anonymous ones).`
      }
      prune={() => rpc.call('volumes.prune', {})}
      invalidates={['volumes.list']}
      onClose={onClose}
    />
  );
}

export function VolumesPage() {
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);
  return (
    <ObjectsPage
      title="Volumes"
      description="Data that outlives containers, and which containers mount it."
      pruneLabel="Prune unused"
      onPrune={() => setDialog({ kind: 'prune' })}
      action={{ label: 'Create volume', icon: IconPlus, onClick: () => setDialog({ kind: 'create' }) }}
      list={<VolumeList open={setDialog} />}
    >
      {dialog?.kind === 'create' && <CreateVolumeModal onClose={close} />}
      {dialog?.kind === 'remove' && <RemoveVolumeModal volume={dialog.volume} onClose={close} />}
      {dialog?.kind === 'prune' && <PruneVolumes onClose={close} />}
    </ObjectsPage>
  );
}
