// How VM changes land in the react-query cache: a domain read patches the cached list and stales that VM's
// detail, a whole list replaces the cached one, a connection change is stored with the connections. Pure cache
// logic; never imports node:*, electron or backend code.
import type { QueryClient } from '@tanstack/react-query';
import type { VmChange, VmConnection, VmSummary } from '@shared/vm-types';

export const listKey = (uri: string) => ['vms.list', { uri }] as const;
export const connectionsKey = ['vms.connections', {}] as const;

function upsert(list: VmSummary[], name: string, vm: VmSummary | null): VmSummary[] {
  const index = list.findIndex((item) => item.name === name);
  if (vm === null) return index === -1 ? list : list.filter((item) => item.name !== name);
  if (index === -1) return [...list, vm];
  const next = list.slice();
  next[index] = vm;
  return next;
}

/** Every read of one VM (detail, XML, snapshots) is stale after a change to it. */
export function invalidateVm(queryClient: QueryClient, uri: string, name: string): void {
  void queryClient.invalidateQueries({
    predicate: (query) => {
      const [method, args] = query.queryKey as [unknown, { uri?: string; name?: string } | undefined];
      return typeof method === 'string' && /^(vms\.(detail|xml)|vmSnapshots\.list)$/.test(method) && args?.uri === uri && args.name === name;
    },
  });
}

export function storeConnection(queryClient: QueryClient, connection: VmConnection): void {
  queryClient.setQueryData<VmConnection[]>(connectionsKey, (list) =>
    list ? list.map((item) => (item.uri === connection.uri ? connection : item)) : list,
  );
}

export function applyVmChange(queryClient: QueryClient, uri: string, change: VmChange): void {
  switch (change.kind) {
    case 'domain':
      queryClient.setQueryData<VmSummary[]>(listKey(uri), (list) => list && upsert(list, change.name, change.vm));
      invalidateVm(queryClient, uri, change.name);
      return;
    case 'domains':
      // After the event child restarted, events in between are lost: the whole list replaces the cached one.
      queryClient.setQueryData(listKey(uri), change.vms);
      return;
    case 'connection': {
      const previous = queryClient.getQueryData<VmConnection[]>(connectionsKey)?.find((item) => item.uri === uri);
      storeConnection(queryClient, change.connection);
      if (change.connection.status === 'connected' && previous?.status === 'unavailable') {
        void queryClient.invalidateQueries({ predicate: (query) => (query.queryKey[1] as { uri?: string } | undefined)?.uri === uri });
      }
      return;
    }
  }
}
