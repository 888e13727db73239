// A request method as a cached query: keyed by method and arguments, refetched only when asked.
// Never imports node:*, electron or backend code.
import { useQuery } from '@tanstack/react-query';
import type { Api } from '@shared/api';
import type { MethodArgs, MethodName } from '@shared/contract';
import { rpc } from '../api';

export function useRpcQuery<M extends MethodName<Api>>(method: M, args: MethodArgs<Api, M>) {
  return useQuery({ queryKey: [method, args], queryFn: () => rpc.call(method, args) });
}
