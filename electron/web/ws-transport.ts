// The server side of the WebSocket transport: one RPC connection per socket, JSON text frames, and the
// connection disposed (calls aborted, subscriptions ended) when the socket closes. Never imports electron.
import type { WebSocket } from 'ws';
import type { RpcServer } from '../backend/rpc-server';

export function serveRpcOverWebSocket(socket: WebSocket, rpc: RpcServer, client: string): void {
  const connection = rpc.connect((message) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  }, client);

  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      socket.close(1003, 'RPC messages are JSON text frames');
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      socket.close(1007, 'RPC message is not valid JSON');
      return;
    }
    connection.receive(message);
  });
  socket.on('close', () => connection.dispose());
  socket.on('error', () => connection.dispose());
}
