// Which libvirt connection the VM pages show: qemu:///system, qemu:///session and the remote ones the user added,
// each with whether it answers; adding (checked as typed) and removing remote ones; and, where a list would be,
// why the chosen one does not answer with the doctor's fix. Never imports node:*, electron or backend code.
import { ActionIcon, Button, Group, Select, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { AppError } from '@shared/errors';
import { remoteUriSchema } from '@shared/vm-schemas';
import type { VmConnection } from '@shared/vm-types';
import { rpc } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormModal } from '../../components/FormModal';
import { ReadingStatus } from '../../components/ReadingStatus';
import { UnreachableBanner } from '../../components/UnreachableBanner';
import { notifyFailure } from '../../hooks/use-rpc-mutation';
import { useRpcQuery } from '../../hooks/use-rpc-query';
import { selectConnection, useSelectedConnection } from './selected-connection';
import { connectionsKey } from './vm-cache';

const kindWords = { system: 'system', session: 'this user’s session', remote: 'remote' } as const;

function connectionLabel(connection: VmConnection): string {
  const state = connection.status === 'connected' ? 'answers' : 'not reachable';
  return `${connection.uri} (${kindWords[connection.kind]}, ${state})`;
}

function AddConnectionDialog({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const [uri, setUri] = useState('qemu+ssh://');
  const checked = remoteUriSchema.safeParse(uri);
  return (
    <FormModal
      title="Add a remote libvirt connection"
      submitLabel="Add connection"
      failureTitle="Could not add the connection"
      submitDisabled={!checked.success}
      onClose={onClose}
      action={async () => {
        const value = uri.trim();
        queryClient.setQueryData(connectionsKey, await rpc.call('vms.addConnection', { uri: value }));
        selectConnection(value);
      }}
    >
      <Text size="sm">
        libvirt reaches the host over SSH, as virt-manager does: the key must work without a password prompt (an ssh-agent or a key file).
      </Text>
      <TextInput
        label="Connection URI"
        description="qemu+ssh://user@host/system, optionally ?keyfile=/path/to/key"
        value={uri}
        onChange={(event) => setUri(event.currentTarget.value)}
        error={uri !== 'qemu+ssh://' && !checked.success ? checked.error.issues[0]?.message : undefined}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        data-autofocus
        required
      />
    </FormModal>
  );
}

export function ConnectionSwitcher() {
  const uri = useSelectedConnection();
  const queryClient = useQueryClient();
  const connections = useRpcQuery('vms.connections', {});
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState(false);
  const list = connections.data ?? [];
  const current = list.find((connection) => connection.uri === uri);
  const data = list.some((connection) => connection.uri === uri) ? list : [...list, { uri, kind: 'remote', status: 'unavailable' } as VmConnection];
  return (
    <Group gap="xs" align="flex-end">
      <Select
        label="Connection"
        data={data.map((connection) => ({ value: connection.uri, label: connectionLabel(connection) }))}
        value={uri}
        allowDeselect={false}
        w={{ base: '100%', sm: 420 }}
        description={current?.status === 'connected' ? current.version : connections.isPending ? 'Checking…' : undefined}
        onChange={(value) => value && selectConnection(value)}
      />
      <Tooltip label="Add a remote connection">
        <ActionIcon variant="default" size="lg" aria-label="Add a remote libvirt connection" onClick={() => setAdding(true)}>
          <IconPlus size={18} aria-hidden />
        </ActionIcon>
      </Tooltip>
      {current?.custom && (
        <Tooltip label="Forget this connection">
          <ActionIcon
            variant="default"
            size="lg"
            color="red"
            aria-label={`Forget the connection ${uri}`}
            loading={removing}
            onClick={() => {
              setRemoving(true);
              rpc
                .call('vms.removeConnection', { uri })
                .then((next) => {
                  queryClient.setQueryData(connectionsKey, next);
                  selectConnection('qemu:///system');
                })
                .catch((error: unknown) => notifyFailure(`Could not forget ${uri}`, error))
                .finally(() => setRemoving(false));
            }}
          >
            <IconTrash size={18} aria-hidden />
          </ActionIcon>
        </Tooltip>
      )}
      {adding && <AddConnectionDialog onClose={() => setAdding(false)} />}
    </Group>
  );
}

/**
 * Shows `children` (a VM list or detail) while the chosen connection answers; otherwise what happened and the
 * doctor's fix in their place, never an empty list.
 */
export function ConnectionGate({ uri, children }: { uri: string; children: ReactNode }) {
  const connections = useRpcQuery('vms.connections', {});
  if (connections.isPending) return <ReadingStatus text="Connecting to libvirt…" />;
  if (connections.isError) return <ErrorAlert title="Could not read the libvirt connections" error={connections.error} />;
  const connection = connections.data.find((candidate) => candidate.uri === uri);
  if (!connection || connection.status === 'connected') return children;
  const error = connection.error ? AppError.fromWire(connection.error) : new AppError('UNAVAILABLE', `${uri} does not answer.`);
  return (
    <UnreachableBanner testId="libvirt-banner" title={error.code === 'PERMISSION_DENIED' ? 'libvirt refuses this user' : 'libvirt is not reachable'}>
      <ErrorAlert title={`No answer from ${uri}`} error={error} />
      <Text size="sm" c="dimmed">
        Isolab keeps trying and shows the VMs as soon as the daemon answers.
      </Text>
      <Group>
        <Button variant="default" onClick={() => void connections.refetch()}>
          Check again now
        </Button>
      </Group>
    </UnreachableBanner>
  );
}
