// The networks page: every network with its driver, subnets and attached containers; create (name, internal,
// subnet, checked as typed), remove (not the built-in ones), prune unused. Never imports node:*, electron or backend code.
import { ActionIcon, Badge, Button, Checkbox, Group, Loader, Modal, Paper, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconTrash, IconTrashX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '@shared/api';
import type { NetworkSummary } from '@shared/docker-types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useRpcQuery } from '../../hooks/use-rpc-query';
import { rpc } from '../../api';
import { DockerGate } from '../docker/EngineBanner';
import { ConfirmModal } from '../images/ConfirmModal';
import { PruneModal } from '../images/PruneModal';
import { UsedBy } from './UsedBy';

type Dialog = { kind: 'create' } | { kind: 'prune' } | { kind: 'remove'; network: NetworkSummary };

const createSchema = api.methods['networks.create'].args;

function CreateNetworkModal({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm({
    initialValues: { name: '', internal: false, subnet: '' },
    validateInputOnBlur: true,
    validate: (values) => {
      const checked = createSchema.safeParse({ name: values.name, internal: values.internal, ...(values.subnet.trim() ? { subnet: values.subnet.trim() } : {}) });
      const errors: Record<string, string> = {};
      for (const issue of checked.error?.issues ?? []) errors[String(issue.path[0])] ??= issue.message;
      if (values.name === '') errors.name = 'Type a name.';
      return errors;
    },
  });
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close dialog' }} title="Create network" centered>
      <form
        onSubmit={form.onSubmit(async (values) => {
          setFailure(null);
          try {
            await rpc.call('networks.create', { name: values.name, internal: values.internal, labels: {}, ...(values.subnet.trim() ? { subnet: values.subnet.trim() } : {}) });
            void queryClient.invalidateQueries({ queryKey: ['networks.list'] });
            onClose();
          } catch (error) {
            setFailure(error);
          }
        })}
      >
        <Stack gap="md">
          <TextInput label="Name" description="Letters, digits, _ . and -." {...form.getInputProps('name')} data-autofocus />
          <TextInput label="Subnet" description="Optional, for example 172.30.0.0/24; empty: the engine picks one." placeholder="172.30.0.0/24" {...form.getInputProps('subnet')} />
          <Checkbox label="Internal" description="Containers on it reach each other but not the outside world." {...form.getInputProps('internal', { type: 'checkbox' })} />
          {failure !== null && <ErrorAlert title="The engine did not create the network" error={failure} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RemoveButton({ network, open }: { network: NetworkSummary; open: (dialog: Dialog) => void }) {
  if (network.builtIn) {
    return (
      <Tooltip label={`${network.name} is one of the engine's built-in networks (bridge, host, none): Docker never removes it.`} multiline w={260}>
        <ActionIcon variant="subtle" color="red" aria-label={`Remove ${network.name} (built in: cannot be removed)`} data-disabled aria-disabled onClick={(event) => event.preventDefault()}>
          <IconTrash size={18} aria-hidden />
        </ActionIcon>
      </Tooltip>
    );
  }
  return (
    <Tooltip label="Remove">
      <ActionIcon variant="subtle" color="red" aria-label={`Remove ${network.name}`} onClick={() => open({ kind: 'remove', network })}>
        <IconTrash size={18} aria-hidden />
      </ActionIcon>
    </Tooltip>
  );
}

function NetworkList({ open }: { open: (dialog: Dialog) => void }) {
  const networks = useRpcQuery('networks.list', {});
  if (networks.isPending) {
    return (
      <Group gap="sm" role="status">
        <Loader size="sm" />
        <Text>Reading networks…</Text>
      </Group>
    );
  }
  if (networks.isError) return <ErrorAlert title="Could not list networks" error={networks.error} />;
  const shown = [...networks.data].sort((a, b) => Number(b.builtIn) - Number(a.builtIn) || a.name.localeCompare(b.name));
  return (
    <Paper withBorder>
      <Table.ScrollContainer minWidth={760}>
        <Table highlightOnHover verticalSpacing="xs" aria-label="Networks">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Driver</Table.Th>
              <Table.Th>Subnets</Table.Th>
              <Table.Th>Used by</Table.Th>
              <Table.Th ta="right">Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((network) => (
              <Table.Tr key={network.id} data-testid="network-row" data-name={network.name}>
                <Table.Td>
                  <Group gap={6}>
                    <Text size="sm" ff="monospace" fw={500}>
                      {network.name}
                    </Text>
                    {network.builtIn && (
                      <Badge variant="light" color="gray">
                        built in
                      </Badge>
                    )}
                    {network.internal && (
                      <Badge variant="light" color="indigo">
                        internal
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Badge variant="outline" color="gray">
                    {network.driver}
                  </Badge>
                </Table.Td>
                <Table.Td ff="monospace">{network.subnets.join(', ') || '—'}</Table.Td>
                <Table.Td>
                  <UsedBy names={network.usedBy} />
                </Table.Td>
                <Table.Td>
                  <Group justify="flex-end">
                    <RemoveButton network={network} open={open} />
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function PruneNetworks({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const networks = useRpcQuery('networks.list', {});
  const unused = (networks.data ?? []).filter((network) => !network.builtIn && network.usedBy.length === 0).map((network) => network.name);
  return (
    <PruneModal
      title="Prune unused networks"
      what="unused networks"
      estimate={{
        ready: !networks.isPending,
        ...(networks.isError ? { error: networks.error } : {}),
        nothing: unused.length === 0,
        text:
          unused.length === 0
            ? 'Every network you created has a container on it: nothing to prune.'
            : `No container is attached to ${unused.length === 1 ? 'this network' : `these ${unused.length} networks`}: ${unused.join(', ')}. Prune removes them; the built-in networks stay.`,
      }}
      prune={async () => {
        const result = await rpc.call('networks.prune', {});
        void queryClient.invalidateQueries({ queryKey: ['networks.list'] });
        return result;
      }}
      onClose={onClose}
    />
  );
}

export function NetworksPage() {
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);
  return (
    <Stack gap="lg" maw={1200}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Networks</Title>
          <Text c="dimmed">How containers reach each other and the outside, and which containers are on each network.</Text>
        </div>
        <Group gap="sm">
          <Button variant="default" leftSection={<IconTrashX size={16} aria-hidden />} onClick={() => setDialog({ kind: 'prune' })}>
            Prune unused
          </Button>
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setDialog({ kind: 'create' })}>
            Create network
          </Button>
        </Group>
      </Group>
      <DockerGate>
        <NetworkList open={setDialog} />
      </DockerGate>
      {dialog?.kind === 'create' && <CreateNetworkModal onClose={close} />}
      {dialog?.kind === 'prune' && <PruneNetworks onClose={close} />}
      {dialog?.kind === 'remove' && (
        <ConfirmModal
          title="Remove network"
          confirmLabel="Remove"
          failureTitle="The engine did not remove the network"
          onClose={close}
          onConfirm={async () => {
            await rpc.call('networks.remove', { id: dialog.network.id });
            void queryClient.invalidateQueries({ queryKey: ['networks.list'] });
          }}
        >
          <Text size="sm">
            Remove the network <strong>{dialog.network.name}</strong>?
            {dialog.network.usedBy.length > 0 && ` Containers on it (${dialog.network.usedBy.join(', ')}) must be disconnected first: the engine refuses otherwise.`}
          </Text>
        </ConfirmModal>
      )}
    </Stack>
  );
}
