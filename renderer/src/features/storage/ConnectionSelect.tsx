// The libvirt connection the Storage page and the create wizard work on: the VM pages' own selection (kept
// across pages and reloads), chosen among the connections the backend knows. Never imports node:*, electron or backend code.
import { Select } from '@mantine/core';
import { localUris } from '@shared/vm-schemas';
import { useRpcQuery } from '../../hooks/use-rpc-query';
import { selectConnection, useSelectedConnection } from '../vms/selected-connection';

export function ConnectionSelect({ description }: { description?: string }) {
  const uri = useSelectedConnection();
  const connections = useRpcQuery('vms.connections', {});
  const uris = connections.data?.map((connection) => connection.uri) ?? [...localUris];
  return (
    <Select
      label="Connection"
      description={description}
      data={uris.includes(uri) ? uris : [uri, ...uris]}
      value={uri}
      allowDeselect={false}
      onChange={(value) => value && selectConnection(value)}
      w={260}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
    />
  );
}
