// The app's one subscription to `docker.changed`: engine events patch the cached lists and the connection
// state, so every page stays live without polling. Never imports node:*, electron or backend code.
import { useQueryClient } from '@tanstack/react-query';
import { useRpcQuery } from '../../hooks/use-rpc-query';
import { useRpcStream } from '../../hooks/use-rpc-stream';
import { applyDockerChange } from './docker-cache';

/** Mount once, in the app's frame. */
export function useDockerChanges(): void {
  const queryClient = useQueryClient();
  useRpcStream('docker.changed', {}, { onEvent: (change) => applyDockerChange(queryClient, change) });
}

/** The connection as last read or pushed. */
export function useDockerConnection() {
  return useRpcQuery('docker.connection', {});
}
