// The renderer's transport in web mode: JSON text frames over a WebSocket to the page's own server.
// Imports only shared code; no node:* and no electron.
import { AppError } from '@shared/errors';
import type { ClientTransport } from '@shared/rpc-client';
import type { ClientMessage, ServerMessage } from '@shared/rpc-protocol';

/** The part of the browser's WebSocket this transport uses (the `ws` package offers the same, for tests). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

const open = 1;

export const connectionLost = new AppError('UNAVAILABLE', 'The connection to the Isolab backend was lost.', {
  fix: { text: 'Start "npm run web" again if it stopped, and open the new address it prints (each run has its own token).' },
});

export function createWebSocketTransport(socket: WebSocketLike): ClientTransport {
  const queued: string[] = [];
  let closed = false;
  socket.addEventListener('open', () => {
    for (const data of queued.splice(0)) socket.send(data);
  });
  return {
    send(message: ClientMessage) {
      if (closed) return;
      const data = JSON.stringify(message);
      if (socket.readyState === open) socket.send(data);
      else queued.push(data);
    },
    onMessage(handler) {
      socket.addEventListener('message', (event) => {
        if (typeof event.data === 'string') handler(JSON.parse(event.data) as ServerMessage);
      });
    },
    onClose(handler) {
      const close = () => {
        if (closed) return;
        closed = true;
        handler(connectionLost);
      };
      socket.addEventListener('close', close);
      socket.addEventListener('error', close);
    },
  };
}
