// How Docker changes land in the react-query cache: a container event patches the cached list and stales
// that container's reads; a connection event stores the state and, once an engine answers again, stales every
// Docker read. Pure cache logic; never imports node:*, electron or backend code.
import type { QueryClient } from '@tanstack/react-query';
import type { ContainerSummary, DockerChange, DockerConnection } from '@shared/docker-types';

export const containersListKey = ['containers.list', {}] as const;
export const connectionKey = ['docker.connection', {}] as const;

/** Every list and detail read from the engine; after a reconnect or an endpoint switch they are all stale. */
export function invalidateDockerReads(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({
    predicate: (query) => {
      const method = query.queryKey[0];
      return typeof method === 'string' && /^(containers|images|volumes|networks)\./.test(method);
    },
  });
}

function upsert(list: ContainerSummary[], id: string, container: ContainerSummary | null): ContainerSummary[] {
  const index = list.findIndex((item) => item.id === id);
  if (container === null) return index === -1 ? list : list.filter((item) => item.id !== id);
  if (index === -1) return [...list, container];
  const next = list.slice();
  next[index] = container;
  return next;
}

// A detail page may be keyed by the id or by the name it was opened with.
function invalidateContainer(queryClient: QueryClient, id: string, name: string | undefined): void {
  for (const method of ['containers.inspect', 'containers.top']) {
    void queryClient.invalidateQueries({
      predicate: (query) => {
        if (query.queryKey[0] !== method) return false;
        const args = query.queryKey[1] as { id?: string } | undefined;
        return args?.id === id || (name !== undefined && args?.id === name) || (args?.id !== undefined && id.startsWith(args.id));
      },
    });
  }
}

export function applyDockerChange(queryClient: QueryClient, change: DockerChange): void {
  switch (change.kind) {
    case 'container': {
      const previous = queryClient.getQueryData<ContainerSummary[]>(containersListKey)?.find((item) => item.id === change.id);
      queryClient.setQueryData<ContainerSummary[]>(containersListKey, (list) => list && upsert(list, change.id, change.container));
      invalidateContainer(queryClient, change.id, change.container?.name ?? previous?.name);
      return;
    }
    case 'containers':
      // Events during an outage are lost: the whole list replaces the cached one.
      queryClient.setQueryData(containersListKey, change.containers);
      return;
    case 'images':
    case 'volumes':
    case 'networks':
      void queryClient.invalidateQueries({ queryKey: [`${change.kind}.list`] });
      return;
    case 'connection': {
      const previous = queryClient.getQueryData<DockerConnection>(connectionKey);
      queryClient.setQueryData(connectionKey, change.connection);
      const back = change.connection.status === 'connected' && previous?.status === 'unavailable';
      const switched = change.connection.status === 'connected' && previous?.address !== undefined && previous.address !== change.connection.address;
      if (back || switched) invalidateDockerReads(queryClient);
      return;
    }
  }
}
