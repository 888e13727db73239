// The RPC dispatcher every transport feeds: known methods and topics only, arguments parsed with their schema,
// errors mapped to AppError, and per-client subscriptions disposed with the client. Never imports electron.
import { z } from 'zod';
import type {
  Contract,
  MethodName,
  MethodResult,
  ParsedMethodArgs,
  ParsedTopicArgs,
  TopicEvent,
  TopicName,
} from '@shared/contract';
import { AppError, type WireError } from '@shared/errors';
import { clientMessageSchema, type ServerMessage } from '@shared/rpc-protocol';
import { toAppError } from './app-errors';

export interface RpcContext {
  /** Aborted when the call's client goes away, or the subscription is cancelled. */
  signal: AbortSignal;
  /** Which client this is, for logs: "ws#3", "ipc:webContents 1". */
  client: string;
}

export interface StreamSink<Event> {
  next(event: Event): void;
  end(): void;
  error(error: unknown): void;
}

export type MethodHandlers<C extends Contract> = {
  [M in MethodName<C>]: (
    args: ParsedMethodArgs<C, M>,
    context: RpcContext,
  ) => Promise<MethodResult<C, M>> | MethodResult<C, M>;
};

/** A stream handler starts its source and stops it when `context.signal` aborts. */
export type StreamHandlers<C extends Contract> = {
  [T in TopicName<C>]: (args: ParsedTopicArgs<C, T>, sink: StreamSink<TopicEvent<C, T>>, context: RpcContext) => void;
};

export interface RpcHandlers<C extends Contract> {
  methods: MethodHandlers<C>;
  streams: StreamHandlers<C>;
}

export interface RpcConnection {
  /** Feed one decoded message from the client; anything malformed is answered or dropped, never thrown. */
  receive(message: unknown): void;
  /** The client went away: abort its calls and end its subscriptions. Idempotent. */
  dispose(): void;
  readonly openCalls: number;
  readonly openSubscriptions: number;
}

export interface RpcServer {
  connect(send: (message: ServerMessage) => void, client: string): RpcConnection;
  /** Clients connected now. */
  readonly connections: number;
}

export interface RpcServerOptions {
  /** Errors that reach no client (a send that throws, an INTERNAL error): where they are logged. */
  onError?(error: unknown, where: string): void;
}

function invalidArgument(message: string, error?: z.ZodError): AppError {
  return new AppError('INVALID_ARGUMENT', message, error ? { detail: z.prettifyError(error) } : {});
}

function idOf(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null || !('id' in raw)) return undefined;
  return Number.isSafeInteger(raw.id) ? (raw.id as number) : undefined;
}

export function createRpcServer<C extends Contract>(
  contract: C,
  handlers: RpcHandlers<C>,
  options: RpcServerOptions = {},
): RpcServer {
  const report = options.onError ?? (() => {});
  let connections = 0;
  // Handlers are looked up by name from untrusted input; the casts are safe because a name is
  // only used after it was found in the contract, which the handler maps are typed against.
  const methodHandlers = handlers.methods as Record<string, (args: unknown, context: RpcContext) => unknown>;
  const streamHandlers = handlers.streams as Record<
    string,
    (args: unknown, sink: StreamSink<unknown>, context: RpcContext) => void
  >;

  return {
    get connections() {
      return connections;
    },

    connect(send, client) {
      connections++;
      let disposed = false;
      const calls = new Map<number, AbortController>();
      const subscriptions = new Map<number, AbortController>();

      const trySend = (message: ServerMessage) => {
        try {
          send(message);
          return true;
        } catch (error) {
          report(error, `sending to ${client}`);
          return false;
        }
      };
      // A reply the transport cannot carry (it cannot be cloned or turned into JSON) must not leave the
      // client waiting for ever: the call fails, or the stream ends, with INTERNAL instead.
      const deliver = (message: ServerMessage) => {
        if (disposed || trySend(message) || message.type === 'end') return;
        const error = new AppError('INTERNAL', 'The backend produced a reply that cannot be sent', {
          fix: { text: 'This is a bug in Isolab. Please report it with what you were doing.' },
        }).toWire();
        if (message.type === 'result') {
          trySend({ type: 'result', id: message.id, ok: false, error });
          return;
        }
        subscriptions.get(message.id)?.abort();
        subscriptions.delete(message.id);
        trySend({ type: 'end', id: message.id, error });
      };
      const wire = (error: unknown, where: string): WireError => {
        const appError = toAppError(error);
        if (appError.code === 'INTERNAL') report(error, where);
        return appError.toWire();
      };

      const call = (id: number, name: string, rawArgs: unknown) => {
        const fail = (error: unknown) =>
          deliver({ type: 'result', id, ok: false, error: wire(error, `${client} ${name}`) });
        if (calls.has(id)) return fail(invalidArgument(`Request id ${id} is already in use by another call`));
        const spec = Object.hasOwn(contract.methods, name) ? contract.methods[name] : undefined;
        if (!spec) return fail(invalidArgument(`Unknown method "${name}"`));
        const parsed = spec.args.safeParse(rawArgs);
        if (!parsed.success) return fail(invalidArgument(`Invalid arguments for ${name}`, parsed.error));
        const controller = new AbortController();
        calls.set(id, controller);
        const context = { signal: controller.signal, client };
        Promise.resolve()
          .then(() => methodHandlers[name]!(parsed.data, context))
          .then(
            (value) => deliver({ type: 'result', id, ok: true, value }),
            (error: unknown) => fail(error),
          )
          .finally(() => calls.delete(id));
      };

      const subscribe = (id: number, topic: string, rawArgs: unknown) => {
        const endWith = (error: unknown) => deliver({ type: 'end', id, error: wire(error, `${client} ${topic}`) });
        if (subscriptions.has(id)) return endWith(invalidArgument(`Subscription id ${id} is already in use`));
        const spec = Object.hasOwn(contract.streams, topic) ? contract.streams[topic] : undefined;
        if (!spec) return endWith(invalidArgument(`Unknown stream "${topic}"`));
        const parsed = spec.args.safeParse(rawArgs);
        if (!parsed.success) return endWith(invalidArgument(`Invalid arguments for ${topic}`, parsed.error));
        const controller = new AbortController();
        subscriptions.set(id, controller);
        const open = () => subscriptions.get(id) === controller && !controller.signal.aborted;
        const close = () => {
          subscriptions.delete(id);
          controller.abort();
        };
        const sink: StreamSink<unknown> = {
          next(event) {
            if (open()) deliver({ type: 'event', id, data: event });
          },
          end() {
            if (!open()) return;
            close();
            deliver({ type: 'end', id });
          },
          error(error) {
            if (!open()) return;
            close();
            endWith(error);
          },
        };
        try {
          streamHandlers[topic]!(parsed.data, sink, { signal: controller.signal, client });
        } catch (error) {
          sink.error(error);
        }
      };

      return {
        get openCalls() {
          return calls.size;
        },
        get openSubscriptions() {
          return subscriptions.size;
        },
        receive(raw) {
          if (disposed) return;
          const parsed = clientMessageSchema.safeParse(raw);
          if (!parsed.success) {
            const id = idOf(raw);
            const type = typeof raw === 'object' && raw !== null && 'type' in raw ? raw.type : undefined;
            const error = invalidArgument('Malformed request', parsed.error).toWire();
            // Answered only when the id is free, so a bad message cannot settle another call or stream.
            if (id !== undefined && type === 'call' && !calls.has(id)) {
              deliver({ type: 'result', id, ok: false, error });
            } else if (id !== undefined && type === 'subscribe' && !subscriptions.has(id)) {
              deliver({ type: 'end', id, error });
            } else {
              report(new Error(z.prettifyError(parsed.error)), `malformed message from ${client}`);
            }
            return;
          }
          const message = parsed.data;
          if (message.type === 'call') call(message.id, message.method, message.args);
          else if (message.type === 'subscribe') subscribe(message.id, message.topic, message.args);
          else {
            subscriptions.get(message.id)?.abort();
            subscriptions.delete(message.id);
          }
        },
        dispose() {
          if (disposed) return;
          disposed = true;
          connections--;
          for (const controller of [...calls.values(), ...subscriptions.values()]) controller.abort();
          calls.clear();
          subscriptions.clear();
        },
      };
    },
  };
}
