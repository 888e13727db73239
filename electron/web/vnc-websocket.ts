// Web mode's VNC console WebSocket: a binary WebSocket joined to the display connection that a one-time ticket
// names (the backend's VNC bridge made it to the domain's own display). Plain Node; never imports electron.
import type http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { vncWebSocketPath } from '@shared/terminal-api';

/** What web mode needs of the bridge: the display connection for a ticket, once. */
export interface VncTicketClaimer {
  claim(ticket: string): Socket | undefined;
}

/** Stop reading the display while this much waits to go to the browser. */
const maxBufferedBytes = 4 * 1024 * 1024;
/** The browser sends keys, pointer moves and update requests: small messages. */
const maxClientMessageBytes = 256 * 1024;

/** Joins the two ends: bytes both ways, the display paused while the browser falls behind, each end closing the other. */
export function joinVnc(webSocket: WebSocket, display: Socket): void {
  // Bytes handed to the WebSocket but not yet written to the browser's connection.
  let unsent = 0;
  display.on('data', (chunk: Buffer) => {
    unsent += chunk.length;
    if (unsent > maxBufferedBytes) display.pause();
    webSocket.send(chunk, { binary: true }, () => {
      unsent -= chunk.length;
      if (display.isPaused() && unsent < maxBufferedBytes / 4) display.resume();
    });
  });
  webSocket.on('message', (data: Buffer, isBinary) => {
    if (!isBinary) {
      webSocket.close(1003, 'The VNC console carries binary frames');
      return;
    }
    display.write(data);
  });
  display.on('close', () => webSocket.close(1000, 'The VM display closed the connection'));
  display.on('error', () => undefined);
  webSocket.on('close', () => display.destroy());
  webSocket.on('error', () => display.destroy());
  display.resume();
}

export interface VncWebSockets {
  /** Handles the upgrade when it is for the VNC path with a live ticket; false leaves the request to the caller. */
  upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): void;
}

/** The caller has already checked the Host, Origin and token cookie, as for the RPC WebSocket. */
export function createVncWebSockets(bridge: VncTicketClaimer): VncWebSockets {
  const server = new WebSocketServer({ noServer: true, maxPayload: maxClientMessageBytes, perMessageDeflate: false });
  return {
    upgrade(request, socket, head) {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const ticket = url.searchParams.get('ticket');
      if (url.pathname !== vncWebSocketPath || !ticket) return false;
      const display = bridge.claim(ticket);
      if (!display) return false;
      server.handleUpgrade(request, socket, head, (webSocket) => joinVnc(webSocket, display));
      return true;
    },
    close() {
      for (const client of server.clients) client.terminate();
      server.close();
    },
  };
}
