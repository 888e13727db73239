// The volumes page: every volume with the containers that mount it; create (name checked as typed), remove
// (force), prune unused. Never imports node:*, electron or backend code.
import { ActionIcon, Badge, Button, Checkbox, Group, Loader, Modal, Paper, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconPlus, IconSearch, IconTrash, IconTrashX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { volumeNameSchema } from '@shared/docker-schemas';
import type { VolumeSummary } from '@shared/docker-types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useRpcQuery } from '../../hooks/use-rpc-query';
import { rpc } from '../../api';
import { DockerGate } from '../docker/EngineBanner';
import { formatDateTime, formatRelative } from '../docker/format';
import { ConfirmModal } from '../images/ConfirmModal';
import { PruneModal } from '../images/PruneModal';
import { UsedBy } from '../networks/UsedBy';

type Dialog = { kind: 'create' } | { kind: 'prune' } | { kind: 'remove'; volume: VolumeSummary };

function CreateVolumeModal({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const checked = volumeNameSchema.safeParse(name);
  const error = name === '' ? 'Type a name.' : checked.success ? undefined : checked.error.issues[0]?.message;
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close dialog' }} title="Create volume" centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setTouched(true);
          if (error) return;
          setBusy(true);
          setFailure(null);
          rpc
            .call('volumes.create', { name, labels: {} })
            .then(() => {
              void queryClient.invalidateQueries({ queryKey: ['volumes.list'] });
              onClose();
            }, setFailure)
            .finally(() => setBusy(false));
        }}
      >
        <Stack gap="md">
          <TextInput
            label="Name"
            description="Letters, digits, _ . and -; the local driver keeps it under /var/lib/docker/volumes."
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            onBlur={() => setTouched(true)}
            error={touched ? error : undefined}
            data-autofocus
          />
          {failure !== null && <ErrorAlert title="The engine did not create the volume" error={failure} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
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

function VolumeList({ open }: { open: (dialog: Dialog) => void }) {
  const volumes = useRpcQuery('volumes.list', {});
  const [search, setSearch] = useState('');
  // Ages are as of when the page opened; the list itself refreshes from engine events.
  const [now] = useState(() => Date.now());
  const shown = useMemo(
    () => (volumes.data ?? []).filter((volume) => volume.name.toLowerCase().includes(search.trim().toLowerCase())).sort((a, b) => a.name.localeCompare(b.name)),
    [volumes.data, search],
  );
  if (volumes.isPending) {
    return (
      <Group gap="sm" role="status">
        <Loader size="sm" />
        <Text>Reading volumes…</Text>
      </Group>
    );
  }
  if (volumes.isError) return <ErrorAlert title="Could not list volumes" error={volumes.error} />;
  return (
    <Stack gap="sm">
      <TextInput
        aria-label="Search volumes"
        placeholder="Search by name"
        leftSection={<IconSearch size={16} aria-hidden />}
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        w={320}
      />
      <Paper withBorder>
        <Table.ScrollContainer minWidth={700}>
          <Table highlightOnHover verticalSpacing="xs" aria-label="Volumes">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Driver</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Used by</Table.Th>
                <Table.Th ta="right">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((volume) => (
                <Table.Tr key={volume.name} data-testid="volume-row" data-name={volume.name}>
                  <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {volume.name}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="outline" color="gray">
                      {volume.driver}
                    </Badge>
                  </Table.Td>
                  <Table.Td title={formatDateTime(Date.parse(volume.created) / 1000)}>{formatRelative(Date.parse(volume.created) / 1000, now)}</Table.Td>
                  <Table.Td>
                    <UsedBy names={volume.usedBy} />
                  </Table.Td>
                  <Table.Td>
                    <Group justify="flex-end">
                      <Tooltip label="Remove">
                        <ActionIcon variant="subtle" color="red" aria-label={`Remove ${volume.name}`} onClick={() => open({ kind: 'remove', volume })}>
                          <IconTrash size={18} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {shown.length === 0 && (
          <Text p="md" c="dimmed" ta="center">
            {volumes.data.length === 0 ? 'No volumes yet.' : 'No volume matches the search.'}
          </Text>
        )}
      </Paper>
    </Stack>
  );
}

// Engines before Docker 23 (API 1.42) prune every unused volume, named or not; later ones only anonymous volumes.
function PruneVolumes({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const volumes = useRpcQuery('volumes.list', {});
  const unused = (volumes.data ?? []).filter((volume) => volume.usedBy.length === 0).map((volume) => volume.name);
  return (
    <PruneModal
      title="Prune unused volumes"
      what="unused volumes"
      estimate={{
        ready: !volumes.isPending,
        ...(volumes.isError ? { error: volumes.error } : {}),
        nothing: unused.length === 0,
        text:
          unused.length === 0
            ? 'Every volume is used by a container: nothing to prune.'
            : `No container uses ${unused.length === 1 ? 'this volume' : `these ${unused.length} volumes`}: ${unused.join(', ')}. Prune removes them with their data (Docker 23 and later remove only the anonymous ones).`,
      }}
      prune={async () => {
        const result = await rpc.call('volumes.prune', {});
        void queryClient.invalidateQueries({ queryKey: ['volumes.list'] });
        return result;
      }}
      onClose={onClose}
    />
  );
}

export function VolumesPage() {
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);
  return (
    <Stack gap="lg" maw={1200}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Volumes</Title>
          <Text c="dimmed">Data that outlives containers, and which containers mount it.</Text>
        </div>
        <Group gap="sm">
          <Button variant="default" leftSection={<IconTrashX size={16} aria-hidden />} onClick={() => setDialog({ kind: 'prune' })}>
            Prune unused
          </Button>
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setDialog({ kind: 'create' })}>
            Create volume
          </Button>
        </Group>
      </Group>
      <DockerGate>
        <VolumeList open={setDialog} />
      </DockerGate>
      {dialog?.kind === 'create' && <CreateVolumeModal onClose={close} />}
      {dialog?.kind === 'remove' && <RemoveVolumeModal volume={dialog.volume} onClose={close} />}
      {dialog?.kind === 'prune' && <PruneVolumes onClose={close} />}
    </Stack>
  );
}
