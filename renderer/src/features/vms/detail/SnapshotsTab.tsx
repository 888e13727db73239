// A VM's snapshots: taken (with a name checked as typed, and memory state when it runs), listed oldest first with
// the current one marked, reverted to and deleted, each after a question. Internal snapshots need qcow2 disks,
// which the create dialog says. Never imports node:*, electron or backend code.
import { Badge, Button, Group, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { IconCamera, IconHistory, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { snapshotNameSchema } from '@shared/vm-schemas';
import type { VmDetail, VmSnapshot } from '@shared/vm-types';
import { rpc } from '../../../api';
import { ConfirmModal } from '../../../components/ConfirmModal';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FormModal } from '../../../components/FormModal';
import { ReadingStatus } from '../../../components/ReadingStatus';
import { RowAction } from '../../../components/RowAction';
import { LabelsWithActionsHead } from '../../../components/TableHeaders';
import { useRpcQuery } from '../../../hooks/use-rpc-query';
import { formatDateTime } from '../../docker/format';
import { invalidateVm } from '../vm-cache';

type Dialog = { kind: 'create' } | { kind: 'revert' | 'delete'; snapshot: VmSnapshot };

function CreateDialog({ uri, vm, onDone, onClose }: { uri: string; vm: VmDetail; onDone: () => void; onClose: () => void }) {
  const [name, setName] = useState(`snapshot-${new Date().toISOString().slice(0, 10)}`);
  const [description, setDescription] = useState('');
  const checked = snapshotNameSchema.safeParse(name);
  const running = vm.state === 'running' || vm.state === 'paused';
  const notQcow2 = vm.disks.filter((disk) => disk.device === 'disk' && !disk.readOnly && disk.format !== 'qcow2');
  return (
    <FormModal
      title={`Take a snapshot of ${vm.name}`}
      submitLabel="Take snapshot"
      failureTitle="Could not take the snapshot"
      submitDisabled={!checked.success}
      onClose={onClose}
      action={async () => {
        await rpc.call('vmSnapshots.create', { uri, name: vm.name, snapshot: name.trim(), ...(description.trim() ? { description: description.trim() } : {}) });
        onDone();
      }}
    >
      <Text size="sm">
        {running
          ? 'The VM runs: the snapshot keeps its memory too, so reverting resumes it where it was. The guest pauses while it is taken.'
          : 'The VM is off: the snapshot keeps its disks.'}{' '}
        It is stored inside the qcow2 disk images.
      </Text>
      {notQcow2.length > 0 && (
        <Text size="sm" c="var(--mantine-color-error)">
          {notQcow2.map((disk) => `${disk.target} is ${disk.format ?? 'not qcow2'}`).join(', ')}: internal snapshots need every disk in qcow2 format.
        </Text>
      )}
      <TextInput
        label="Name"
        value={name}
        onChange={(event) => setName(event.currentTarget.value)}
        error={name !== '' && !checked.success ? checked.error.issues[0]?.message : undefined}
        data-autofocus
        required
      />
      <Textarea label="Description" value={description} onChange={(event) => setDescription(event.currentTarget.value)} autosize minRows={2} maxLength={1000} />
    </FormModal>
  );
}

/** Revert to or delete a snapshot, after saying what is lost. */
function SnapshotQuestion({ uri, vm, kind, snapshot, onDone, onClose }: { uri: string; vm: VmDetail; kind: 'revert' | 'delete'; snapshot: VmSnapshot; onDone: () => void; onClose: () => void }) {
  const taken = formatDateTime(snapshot.createdAt);
  const revert = kind === 'revert';
  return (
    <ConfirmModal
      title={revert ? `Revert ${vm.name} to ${snapshot.name}?` : `Delete snapshot ${snapshot.name}?`}
      confirmLabel={revert ? 'Revert' : 'Delete snapshot'}
      failureTitle={revert ? 'Could not revert' : 'Could not delete the snapshot'}
      onClose={onClose}
      onConfirm={async () => {
        await rpc.call(revert ? 'vmSnapshots.revert' : 'vmSnapshots.delete', { uri, name: vm.name, snapshot: snapshot.name });
        onDone();
      }}
    >
      <Text size="sm">
        {revert
          ? `Everything since ${taken} is lost: the disks go back to that moment${snapshot.withMemory ? ', and the VM resumes running from there' : ', and the VM is off afterwards'}.`
          : `The VM stays as it is now; only the saved state of ${taken} goes.`}
      </Text>
    </ConfirmModal>
  );
}

export function SnapshotsTab({ uri, vm }: { uri: string; vm: VmDetail }) {
  const queryClient = useQueryClient();
  const snapshots = useRpcQuery('vmSnapshots.list', { uri, name: vm.name });
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const refresh = () => invalidateVm(queryClient, uri, vm.name);
  const close = () => setDialog(null);
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Internal snapshots (inside qcow2 images), as virsh snapshot-create makes them.
        </Text>
        <Button leftSection={<IconCamera size={16} aria-hidden />} onClick={() => setDialog({ kind: 'create' })}>
          Take snapshot
        </Button>
      </Group>
      {snapshots.isPending && <ReadingStatus text="Reading the snapshots…" />}
      {snapshots.isError && <ErrorAlert title="Could not list the snapshots" error={snapshots.error} />}
      {snapshots.data?.length === 0 && (
        <Text size="sm" data-testid="no-snapshots">
          No snapshots yet.
        </Text>
      )}
      {snapshots.data && snapshots.data.length > 0 && (
        <Table aria-label="Snapshots" verticalSpacing={6}>
          <LabelsWithActionsHead labels={['Name', 'Taken', 'VM was', 'Description']} />
          <Table.Tbody>
            {snapshots.data.map((snapshot) => (
              <Table.Tr key={snapshot.name} data-testid="snapshot-row" data-name={snapshot.name}>
                <Table.Td>
                  <Group gap="xs">
                    <Text size="sm" fw={600}>
                      {snapshot.name}
                    </Text>
                    {snapshot.current && (
                      <Badge size="xs" variant="light">
                        current
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{formatDateTime(snapshot.createdAt)}</Table.Td>
                <Table.Td>
                  {snapshot.state}
                  {snapshot.withMemory ? ', with memory' : ''}
                </Table.Td>
                <Table.Td>{snapshot.description ?? '—'}</Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <RowAction tip="Revert to this snapshot" label={`Revert ${vm.name} to ${snapshot.name}`} icon={IconHistory} onClick={() => setDialog({ kind: 'revert', snapshot })} />
                    <RowAction tip="Delete snapshot" label={`Delete snapshot ${snapshot.name}`} icon={IconTrash} color="red" onClick={() => setDialog({ kind: 'delete', snapshot })} />
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {dialog?.kind === 'create' && <CreateDialog uri={uri} vm={vm} onDone={refresh} onClose={close} />}
      {(dialog?.kind === 'revert' || dialog?.kind === 'delete') && (
        <SnapshotQuestion uri={uri} vm={vm} kind={dialog.kind} snapshot={dialog.snapshot} onDone={refresh} onClose={close} />
      )}
    </Stack>
  );
}
