// The libvirt facts: virsh, the daemon, and each connection URI with its versions, domain types and defaults.
// Never imports node:*, electron or backend code.
import { Stack, Table } from '@mantine/core';
import type { LibvirtFacts, LibvirtObjectState } from '@shared/types';
import { FactList } from '../../components/FactList';

function objectState(state: LibvirtObjectState | null | undefined): string {
  if (state === undefined) return 'not checked';
  if (state === null) return 'missing';
  return `${state.active ? 'running' : 'stopped'}${state.autostart ? ', autostart' : ''}`;
}

export function LibvirtFactsView({ facts }: { facts: LibvirtFacts }) {
  return (
    <Stack gap="md">
      <FactList
        facts={[
          ['virsh', facts.virsh.found ? facts.virsh.version ?? 'installed' : 'not installed'],
          ['Daemon', facts.daemon.mode === 'unknown' ? 'unknown' : `${facts.daemon.mode} (${facts.daemon.running.join(', ') || 'socket only'})`],
        ]}
      />
      <Table.ScrollContainer minWidth={700}>
        <Table
          striped
          captionSide="top"
          data={{
            caption: 'Connections',
            head: ['URI', 'Reachable', 'Daemon', 'Hypervisor', 'Domain types', 'Default network', 'Default pool'],
            body: facts.connections.map((connection) => [
              connection.uri,
              connection.reachable ? (connection.servedBySystemDaemon ? 'yes (system daemon)' : 'yes') : 'no',
              connection.daemonVersion ?? '–',
              connection.hypervisor ?? '–',
              connection.domainTypes.join(', ') || '–',
              objectState(connection.defaultNetwork),
              connection.defaultPool ? `${objectState(connection.defaultPool)}${connection.defaultPool.path ? ` (${connection.defaultPool.path})` : ''}` : objectState(connection.defaultPool),
            ]),
          }}
        />
      </Table.ScrollContainer>
    </Stack>
  );
}
