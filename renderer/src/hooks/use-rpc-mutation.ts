// A request method as a mutation (an action on an engine object): a failure becomes a notification that says
// what failed, in the engine's words, and what to do. Never imports node:*, electron or backend code.
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import type { Api } from '@shared/api';
import type { MethodArgs, MethodName, MethodResult } from '@shared/contract';
import { AppError } from '@shared/errors';
import { rpc } from '../api';

/** Shows a failed action: its title, the error's message and its fix (the engine's detail stays in the console). */
export function notifyFailure(title: string, error: unknown): void {
  const appError = error instanceof AppError ? error : new AppError('INTERNAL', String(error));
  notifications.show({
    color: 'red',
    title,
    message: appError.fix ? `${appError.message} ${appError.fix.text}${appError.fix.command ? ` (${appError.fix.command})` : ''}` : appError.message,
    autoClose: 10_000,
  });
}

export function useRpcMutation<M extends MethodName<Api>>(method: M, failureTitle: (args: MethodArgs<Api, M>) => string) {
  return useMutation<MethodResult<Api, M>, unknown, MethodArgs<Api, M>>({
    mutationFn: (args) => rpc.call(method, args),
    onError: (error, args) => notifyFailure(failureTitle(args), error),
  });
}
