// A VM page's subscription to `vms.changed` for the connection it shows: libvirt events patch the cached list
// and stale the changed VM's reads, so the page stays live without polling. Never imports node:*, electron or backend code.
import { useQueryClient } from '@tanstack/react-query';
import { useRpcStream } from '../../hooks/use-rpc-stream';
import { applyVmChange } from './vm-cache';

export function useVmChanges(uri: string, onError?: (error: unknown) => void): void {
  const queryClient = useQueryClient();
  useRpcStream('vms.changed', { uri }, { onEvent: (change) => applyVmChange(queryClient, uri, change), ...(onError ? { onError } : {}) });
}

/** A VM's route: /vms/<encoded uri>/<encoded name>. */
export function vmPath(uri: string, name: string): string {
  return `/vms/${encodeURIComponent(uri)}/${encodeURIComponent(name)}`;
}
