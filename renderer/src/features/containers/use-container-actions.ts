// Container actions (start, stop, restart, pause, unpause, kill, remove, rename) as mutations that every row
// and the detail page share: which containers have an action in flight, and failures in the engine's words.
// The list itself changes only through docker.changed. Never imports node:*, electron or backend code.
import { useMutation, useMutationState } from '@tanstack/react-query';
import { rpc } from '../../api';
import { notifyFailure } from '../../hooks/use-rpc-mutation';

export type ContainerAction =
  | { action: 'start' | 'pause' | 'unpause' }
  | { action: 'stop' | 'restart'; timeoutSeconds?: number }
  | { action: 'kill'; signal?: string }
  | { action: 'remove'; force: boolean; volumes: boolean }
  | { action: 'rename'; newName: string };

export type ContainerActionRequest = ContainerAction & { id: string; name: string };

const mutationKey = ['container-action'];

const verbs: Record<ContainerAction['action'], string> = {
  start: 'start',
  stop: 'stop',
  restart: 'restart',
  pause: 'pause',
  unpause: 'resume',
  kill: 'kill',
  remove: 'remove',
  rename: 'rename',
};

function perform(request: ContainerActionRequest): Promise<void> {
  const { id } = request;
  switch (request.action) {
    case 'start':
    case 'pause':
    case 'unpause':
      return rpc.call(`containers.${request.action}`, { id });
    case 'stop':
    case 'restart':
      return rpc.call(`containers.${request.action}`, { id, ...(request.timeoutSeconds === undefined ? {} : { timeoutSeconds: request.timeoutSeconds }) });
    case 'kill':
      return rpc.call('containers.kill', { id, ...(request.signal ? { signal: request.signal } : {}) });
    case 'remove':
      return rpc.call('containers.remove', { id, force: request.force, volumes: request.volumes });
    case 'rename':
      return rpc.call('containers.rename', { id, name: request.newName });
  }
}

/** `run` may be called for many containers at once; each call is its own mutation. */
export function useContainerActions() {
  const mutation = useMutation<void, unknown, ContainerActionRequest>({
    mutationKey,
    mutationFn: perform,
    onError: (error, request) => notifyFailure(`Could not ${verbs[request.action]} ${request.name}`, error),
  });
  return { run: mutation.mutate, runAsync: mutation.mutateAsync };
}

/** Container id -> the action in flight on it. */
export function usePendingActions(): ReadonlyMap<string, ContainerAction['action']> {
  const pending = useMutationState({
    filters: { mutationKey, status: 'pending' },
    select: (mutation) => mutation.state.variables as ContainerActionRequest | undefined,
  });
  return new Map(pending.flatMap((request) => (request ? [[request.id, request.action] as const] : [])));
}
