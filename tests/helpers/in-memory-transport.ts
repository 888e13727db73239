// A ClientTransport wired straight to an RpcServer connection, for tests: structured clone, asynchronous delivery,
// and a way for the client to go away. Test-only; never imports electron or the renderer.
import { AppError } from '@shared/errors';
import type { ClientTransport } from '@shared/rpc-client';
import type { ServerMessage } from '@shared/rpc-protocol';
import type { RpcConnection, RpcServer } from '../../electron/backend/rpc-server';

export interface InMemoryLink {
  transport: ClientTransport;
  connection: RpcConnection;
  /** The client goes away: the server disposes its connection and the client's transport reports the close. */
  disconnect(): void;
}

export const inMemoryDisconnected = new AppError('UNAVAILABLE', 'The in-memory client disconnected.');

export function connectInMemory(rpc: RpcServer, client = 'memory'): InMemoryLink {
  let connected = true;
  const messageHandlers: ((message: ServerMessage) => void)[] = [];
  const closeHandlers: ((reason: AppError) => void)[] = [];

  // Like a real transport, each side sees a copy of what the other sent, one turn later.
  const connection = rpc.connect((message) => {
    const copy = structuredClone(message);
    queueMicrotask(() => {
      if (connected) for (const handler of messageHandlers) handler(copy);
    });
  }, client);

  return {
    connection,
    transport: {
      send(message) {
        const copy = structuredClone(message);
        queueMicrotask(() => {
          if (connected) connection.receive(copy);
        });
      },
      onMessage: (handler) => void messageHandlers.push(handler),
      onClose: (handler) => void closeHandlers.push(handler),
    },
    disconnect() {
      if (!connected) return;
      connected = false;
      connection.dispose();
      for (const handler of closeHandlers) handler(inMemoryDisconnected);
    },
  };
}
