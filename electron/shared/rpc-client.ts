// createRpcClient(contract, transport): typed call() and subscribe() over any transport (Electron IPC,
// WebSocket, in-memory). Pure TypeScript; no node:*, DOM or electron.
import type { Contract, MethodArgs, MethodName, MethodResult, TopicArgs, TopicEvent, TopicName } from './contract';
import { AppError } from './errors';
import type { ClientMessage, ServerMessage } from './rpc-protocol';

export interface ClientTransport {
  send(message: ClientMessage): void;
  onMessage(handler: (message: ServerMessage) => void): void;
  /** Called once when the transport can no longer deliver. */
  onClose(handler: (reason: AppError) => void): void;
}

export interface StreamObserver<Event> {
  next(event: Event): void;
  error?(error: AppError): void;
  /** The server ended the stream without an error. */
  end?(): void;
}

export interface Subscription {
  unsubscribe(): void;
}

export interface RpcClient<C extends Contract> {
  call<M extends MethodName<C>>(method: M, args: MethodArgs<C, M>): Promise<MethodResult<C, M>>;
  subscribe<T extends TopicName<C>>(topic: T, args: TopicArgs<C, T>, observer: StreamObserver<TopicEvent<C, T>>): Subscription;
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: AppError): void;
}

export function createRpcClient<C extends Contract>(transport: ClientTransport): RpcClient<C> {
  let nextId = 1;
  let closedBy: AppError | undefined;
  const calls = new Map<number, PendingCall>();
  const streams = new Map<number, StreamObserver<unknown>>();

  transport.onMessage((message) => {
    if (message.type === 'result') {
      const pending = calls.get(message.id);
      if (!pending) return;
      calls.delete(message.id);
      if (message.ok) pending.resolve(message.value);
      else pending.reject(AppError.fromWire(message.error));
      return;
    }
    const observer = streams.get(message.id);
    if (!observer) return;
    if (message.type === 'event') {
      observer.next(message.data);
      return;
    }
    streams.delete(message.id);
    if (message.error) observer.error?.(AppError.fromWire(message.error));
    else observer.end?.();
  });

  transport.onClose((reason) => {
    closedBy = reason;
    for (const pending of calls.values()) pending.reject(reason);
    for (const observer of streams.values()) observer.error?.(reason);
    calls.clear();
    streams.clear();
  });

  return {
    call(method, args) {
      if (closedBy) return Promise.reject(closedBy);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        calls.set(id, { resolve: resolve as (value: unknown) => void, reject });
        transport.send({ type: 'call', id, method, args });
      });
    },
    subscribe(topic, args, observer) {
      if (closedBy) {
        observer.error?.(closedBy);
        return { unsubscribe() {} };
      }
      const id = nextId++;
      streams.set(id, observer as StreamObserver<unknown>);
      transport.send({ type: 'subscribe', id, topic, args });
      return {
        unsubscribe() {
          if (!streams.delete(id) || closedBy) return;
          transport.send({ type: 'unsubscribe', id });
        },
      };
    },
  };
}
