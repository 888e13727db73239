// VM actions (start, shut down, force off, reboot, reset, pause, resume, autostart) as mutations shared by every
// row and the detail page: which VMs have an action in flight, failures in libvirt's words, and a shutdown the
// guest ignored handed to `onIgnored` (which offers force off). The list itself changes only through vms.changed.
// Never imports node:*, electron or backend code.
import { useMutation, useMutationState } from '@tanstack/react-query';
import type { VmShutdownResult } from '@shared/vm-types';
import { rpc } from '../../api';
import { notifyFailure } from '../../hooks/use-rpc-mutation';

export type VmAction = 'start' | 'shutdown' | 'destroy' | 'reboot' | 'reset' | 'suspend' | 'resume' | 'autostart-on' | 'autostart-off';

export interface VmActionRequest {
  action: VmAction;
  uri: string;
  name: string;
}

const mutationKey = ['vm-action'];

export const actionWords: Record<VmAction, { verb: string; pending: string }> = {
  start: { verb: 'start', pending: 'Starting' },
  shutdown: { verb: 'shut down', pending: 'Shutting down' },
  destroy: { verb: 'force off', pending: 'Forcing off' },
  reboot: { verb: 'reboot', pending: 'Rebooting' },
  reset: { verb: 'reset', pending: 'Resetting' },
  suspend: { verb: 'pause', pending: 'Pausing' },
  resume: { verb: 'resume', pending: 'Resuming' },
  'autostart-on': { verb: 'turn on autostart for', pending: 'Turning on autostart' },
  'autostart-off': { verb: 'turn off autostart for', pending: 'Turning off autostart' },
};

/** How long a shutdown waits for the guest before offering force off. */
export const shutdownWaitSeconds = 60;

async function perform({ action, uri, name }: VmActionRequest): Promise<VmShutdownResult | undefined> {
  switch (action) {
    case 'shutdown':
      return rpc.call('vms.shutdown', { uri, name, timeoutSeconds: shutdownWaitSeconds });
    case 'autostart-on':
    case 'autostart-off':
      await rpc.call('vms.setAutostart', { uri, name, autostart: action === 'autostart-on' });
      return undefined;
    default:
      await rpc.call(`vms.${action}`, { uri, name });
      return undefined;
  }
}

/** `run` may be called for many VMs at once; each call is its own mutation. */
export function useVmActions(onIgnored?: (request: VmActionRequest, result: VmShutdownResult) => void) {
  const mutation = useMutation<VmShutdownResult | undefined, unknown, VmActionRequest>({
    mutationKey,
    mutationFn: perform,
    onSuccess: (result, request) => {
      if (result?.outcome === 'ignored') onIgnored?.(request, result);
    },
    onError: (error, request) => notifyFailure(`Could not ${actionWords[request.action].verb} ${request.name}`, error),
  });
  return { run: mutation.mutate };
}

/** "uri name" -> the action in flight on that VM. */
export function usePendingVmActions(): ReadonlyMap<string, VmAction> {
  const pending = useMutationState({
    filters: { mutationKey, status: 'pending' },
    select: (mutation) => mutation.state.variables as VmActionRequest | undefined,
  });
  return new Map(pending.flatMap((request) => (request ? [[pendingKey(request.uri, request.name), request.action] as const] : [])));
}

export function pendingKey(uri: string, name: string): string {
  return `${uri} ${name}`;
}
