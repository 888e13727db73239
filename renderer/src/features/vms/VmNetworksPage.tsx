// "VM networks": the libvirt virtual networks of the chosen connection (not Docker's), live from libvirt's network
// events, with start/stop and autostart, and the default NAT network created when missing (or how to get dnsmasq).
// Never imports node:*, electron or backend code.
import { Alert, Badge, Button, Group, Loader, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { IconNetwork, IconPlayerPlay, IconPlayerStop, IconRefresh } from '@tabler/icons-react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { VmNetwork } from '@shared/vm-types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FixBlock } from '../../components/FixBlock';
import { ReadingStatus } from '../../components/ReadingStatus';
import { RowAction } from '../../components/RowAction';
import { LabelsWithActionsHead } from '../../components/TableHeaders';
import { useRpcMutation } from '../../hooks/use-rpc-mutation';
import { useRpcQuery } from '../../hooks/use-rpc-query';
import { useRpcStream } from '../../hooks/use-rpc-stream';
import { ConnectionGate, ConnectionSwitcher } from './ConnectionSwitcher';
import { useSelectedConnection } from './selected-connection';

function invalidateNetworks(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({ predicate: (query) => String(query.queryKey[0]).startsWith('vmNetworks.') });
}

function useNetworkMutations(uri: string) {
  const queryClient = useQueryClient();
  const settle = { onSettled: () => invalidateNetworks(queryClient) };
  return {
    start: useRpcMutation('vmNetworks.start', ({ name }) => `Could not start network ${name}`),
    stop: useRpcMutation('vmNetworks.stop', ({ name }) => `Could not stop network ${name}`),
    autostart: useRpcMutation('vmNetworks.setAutostart', ({ name }) => `Could not change autostart of network ${name}`),
    createDefault: useRpcMutation('vmNetworks.createDefault', () => `Could not create the default network on ${uri}`),
    settle,
  };
}

function NetworkRow({ uri, network, mutations }: { uri: string; network: VmNetwork; mutations: ReturnType<typeof useNetworkMutations> }) {
  const busy = [mutations.start, mutations.stop, mutations.autostart].some((mutation) => mutation.isPending && mutation.variables?.name === network.name);
  const ref = { uri, name: network.name };
  return (
    <Table.Tr data-testid="vm-network-row" data-name={network.name} data-active={network.active}>
      <Table.Td>
        <Text size="sm" fw={600}>
          {network.name}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={network.active ? 'teal' : 'gray'} styles={{ root: { color: 'var(--mantine-color-text)' } }}>
          {network.active ? 'Active' : 'Inactive'}
        </Badge>
      </Table.Td>
      <Table.Td>{network.forwardMode === 'nat' ? 'NAT' : network.forwardMode}</Table.Td>
      <Table.Td>{network.bridge ?? '—'}</Table.Td>
      <Table.Td>{network.addresses.join(', ') || '—'}</Table.Td>
      <Table.Td>{network.dhcpRanges.map((range) => `${range.start} – ${range.end}`).join(', ') || 'No DHCP'}</Table.Td>
      <Table.Td>
        <Switch
          aria-label={`Start network ${network.name} at host boot`}
          checked={network.autostart}
          disabled={busy || !network.persistent}
          onChange={(event) => mutations.autostart.mutate({ ...ref, autostart: event.currentTarget.checked }, mutations.settle)}
        />
      </Table.Td>
      <Table.Td>
        <Group gap={4} justify="flex-end" wrap="nowrap">
          {busy ? (
            <Loader size={18} aria-label={`Changing network ${network.name}`} role="status" />
          ) : network.active ? (
            <RowAction tip="Stop" label={`Stop network ${network.name}`} icon={IconPlayerStop} onClick={() => mutations.stop.mutate(ref, mutations.settle)} />
          ) : (
            <RowAction tip="Start" label={`Start network ${network.name}`} icon={IconPlayerPlay} onClick={() => mutations.start.mutate(ref, mutations.settle)} />
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

function DefaultNetworkOffer({ uri, mutations }: { uri: string; mutations: ReturnType<typeof useNetworkMutations> }) {
  const plan = useRpcQuery('vmNetworks.defaultPlan', { uri });
  if (!plan.data || plan.data.exists) return null;
  return (
    <Alert color="yellow" variant="light" title="There is no default network" icon={<IconNetwork aria-hidden />} data-testid="default-network-offer">
      <Stack gap="xs">
        <Text size="sm">
          New VMs usually join libvirt’s “default” NAT network (virbr0, 192.168.122.0/24): the host gives them addresses and reaches them, and they reach the outside through it.
        </Text>
        {plan.data.fix && <FixBlock fix={plan.data.fix} />}
        <Group>
          <Button loading={mutations.createDefault.isPending} disabled={!plan.data.dnsmasqFound} onClick={() => mutations.createDefault.mutate({ uri }, mutations.settle)}>
            Create the default network
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

function NetworkList({ uri }: { uri: string }) {
  const queryClient = useQueryClient();
  const list = useRpcQuery('vmNetworks.list', { uri });
  // libvirt's network events (defined, started, stopped, undefined, also from virsh) make the list read again.
  useRpcStream('vmNetworks.changed', { uri }, { onEvent: () => invalidateNetworks(queryClient) });
  const mutations = useNetworkMutations(uri);
  if (list.isPending) return <ReadingStatus text="Reading the networks…" />;
  if (list.isError) return <ErrorAlert title="Could not list the networks" error={list.error} />;
  return (
    <Stack gap="sm">
      <DefaultNetworkOffer uri={uri} mutations={mutations} />
      <Group justify="space-between">
        <Text size="sm" c="dimmed" role="status">
          {list.data.length} networks, {list.data.filter((network) => network.active).length} active
        </Text>
        <Button variant="default" size="xs" leftSection={<IconRefresh size={14} aria-hidden />} loading={list.isFetching} onClick={() => void list.refetch()}>
          Refresh
        </Button>
      </Group>
      {list.data.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table aria-label="VM networks" verticalSpacing={6} highlightOnHover>
            <LabelsWithActionsHead labels={['Name', 'State', 'Mode', 'Bridge', 'Address', 'DHCP range', 'At boot']} />
            <Table.Tbody>
              {list.data.map((network) => (
                <NetworkRow key={network.name} uri={uri} network={network} mutations={mutations} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

export function VmNetworksPage() {
  const uri = useSelectedConnection();
  return (
    <Stack gap="md">
      <Stack gap={2} align="flex-start">
        <Title order={1}>VM networks</Title>
        <Text c="dimmed">libvirt’s virtual networks, which VMs attach to (Docker’s networks are under Networks).</Text>
      </Stack>
      <ConnectionSwitcher />
      <ConnectionGate uri={uri}>
        <NetworkList key={uri} uri={uri} />
      </ConnectionGate>
    </Stack>
  );
}
