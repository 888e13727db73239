// The networks page: every network with its driver, subnets and attached containers; create (name, internal,
// subnet, checked as typed), remove (not the built-in ones), prune unused. Never imports node:*, electron or backend code.
import { Badge, Checkbox, Group, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '@shared/api';
import type { NetworkSummary } from '@shared/docker-types';
import { ConfirmModal } from '../../components/ConfirmModal';
import { FormModal } from '../../components/FormModal';
import { RowAction } from '../../components/RowAction';
import { useRpcQuery } from '../../hooks/use-rpc-query';
import { rpc } from '../../api';
import { ObjectTable, type Column } from '../docker/ObjectTable';
import { ObjectsPage } from '../docker/ObjectsPage';
import { PruneModal } from '../docker/PruneModal';
import { UsedBy } from '../docker/UsedBy';

type Dialog = { kind: 'create' } | { kind: 'prune' } | { kind: 'remove'; network: NetworkSummary };

const createSchema = api.methods['networks.create'].args;

interface CreateValues {
  name: string;
  internal: boolean;
  subnet: string;
}

// An empty subnet field means "the engine picks one", so it is left out rather than sent empty.
const createArgs = (values: CreateValues) => ({
  name: values.name,
  internal: values.internal,
  labels: {},
  ...(values.subnet.trim() ? { subnet: values.subnet.trim() } : {}),
});

function CreateNetworkModal({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<CreateValues>({
    initialValues: { name: '', internal: false, subnet: '' },
    validateInputOnBlur: true,
    validate: (values) => {
      const checked = createSchema.safeParse(createArgs(values));
      const errors: Record<string, string> = {};
      for (const issue of checked.error?.issues ?? []) errors[String(issue.path[0])] ??= issue.message;
      if (values.name === '') errors.name = 'Type a name.';
      return errors;
    },
  });
  return (
    <FormModal
      title="Create network"
      submitLabel="Create"
      failureTitle="The engine did not create the network"
      onClose={onClose}
      check={() => !form.validate().hasErrors}
      action={async () => {
        await rpc.call('networks.create', createArgs(form.getValues()));
        void queryClient.invalidateQueries({ queryKey: ['networks.list'] });
      }}
    >
      <TextInput label="Name" description="Letters, digits, _ . and -." {...form.getInputProps('name')} data-autofocus />
      <TextInput label="Subnet" description="Optional, for example 172.30.0.0/24; empty: the engine picks one." placeholder="172.30.0.0/24" {...form.getInputProps('subnet')} />
      <Checkbox label="Internal" description="Containers on it reach each other but not the outside world." {...form.getInputProps('internal', { type: 'checkbox' })} />
    </FormModal>
  );
}

function RemoveNetworkModal({ network, onClose }: { network: NetworkSummary; onClose: () => void }) {
  const queryClient = useQueryClient();
  return (
    <ConfirmModal
      title="Remove network"
      confirmLabel="Remove"
      failureTitle="The engine did not remove the network"
      onClose={onClose}
      onConfirm={async () => {
        await rpc.call('networks.remove', { id: network.id });
        void queryClient.invalidateQueries({ queryKey: ['networks.list'] });
      }}
    >
      <Text size="sm">
        Remove the network <strong>{network.name}</strong>?
        {network.usedBy.length > 0 && ` Containers on it (${network.usedBy.join(', ')}) must be disconnected first: the engine refuses otherwise.`}
      </Text>
    </ConfirmModal>
  );
}

const columns: Column<NetworkSummary>[] = [
  {
    header: 'Name',
    cell: (network) => (
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
    ),
  },
  {
    header: 'Driver',
    cell: (network) => (
      <Badge variant="outline" color="gray">
        {network.driver}
      </Badge>
    ),
  },
  { header: 'Subnets', cell: (network) => network.subnets.join(', ') || '—', cellProps: { ff: 'monospace' } },
  { header: 'Used by', cell: (network) => <UsedBy names={network.usedBy} /> },
];

const search = {
  placeholder: 'Search by name or subnet',
  matches: (network: NetworkSummary, needle: string) => network.name.toLowerCase().includes(needle) || network.subnets.some((subnet) => subnet.includes(needle)),
};
// The built-in networks first, then by name.
const byKindThenName = (a: NetworkSummary, b: NetworkSummary) => Number(b.builtIn) - Number(a.builtIn) || a.name.localeCompare(b.name);

function NetworkList({ open }: { open: (dialog: Dialog) => void }) {
  const networks = useRpcQuery('networks.list', {});
  return (
    <ObjectTable
      nouns={['network', 'networks']}
      read={networks}
      columns={columns}
      search={search}
      sort={byKindThenName}
      rowKey={(network) => network.id}
      rowTestId="network-row"
      rowData={(network) => ({ name: network.name })}
      actions={(network) =>
        network.builtIn ? (
          <RowAction
            tip="Remove"
            label={`Remove ${network.name} (built in: cannot be removed)`}
            icon={IconTrash}
            color="red"
            unavailable={`${network.name} is one of the engine's built-in networks (bridge, host, none): Docker never removes it.`}
          />
        ) : (
          <RowAction tip="Remove" label={`Remove ${network.name}`} icon={IconTrash} color="red" onClick={() => open({ kind: 'remove', network })} />
        )
      }
      emptyText="No networks: the engine did not report even its built-in ones."
      minWidth={760}
    />
  );
}

function PruneNetworks({ onClose }: { onClose: () => void }) {
  const networks = useRpcQuery('networks.list', {});
  const unused = (networks.data ?? []).filter((network) => !network.builtIn && network.usedBy.length === 0).map((network) => network.name);
  return (
    <PruneModal
      title="Prune unused networks"
      what="unused networks"
      source={networks}
      nothing={unused.length === 0}
      estimate={
        unused.length === 0
          ? 'Every network you created has a container on it: nothing to prune.'
          : `No container is attached to ${unused.length === 1 ? 'this network' : `these ${unused.length} networks`}: ${unused.join(', ')}. Prune removes them; the built-in networks stay.`
      }
      prune={() => rpc.call('networks.prune', {})}
      invalidates={['networks.list']}
      freesSpace={false}
      onClose={onClose}
    />
  );
}

export function NetworksPage() {
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);
  return (
    <ObjectsPage
      title="Networks"
      description="How containers reach each other and the outside, and which containers are on each network."
      pruneLabel="Prune unused"
      onPrune={() => setDialog({ kind: 'prune' })}
      action={{ label: 'Create network', icon: IconPlus, onClick: () => setDialog({ kind: 'create' }) }}
      list={<NetworkList open={setDialog} />}
    >
      {dialog?.kind === 'create' && <CreateNetworkModal onClose={close} />}
      {dialog?.kind === 'prune' && <PruneNetworks onClose={close} />}
      {dialog?.kind === 'remove' && <RemoveNetworkModal network={dialog.network} onClose={close} />}
    </ObjectsPage>
  );
}
