// The renderer's one RPC client: over the preload's IPC bridge in Electron, else over a WebSocket to the
// page's own server (web mode). Imports only shared code and the transports.
import { webSocketPath, type Api } from '@shared/api';
import { createRpcClient } from '@shared/rpc-client';
import { bridgeName, type PreloadBridge } from '@shared/rpc-protocol';
import { createIpcTransport } from './transports/ipc-transport';
import { createWebSocketTransport } from './transports/websocket-transport';

function connect() {
  const bridge = (window as unknown as Record<string, PreloadBridge | undefined>)[bridgeName];
  if (bridge) return createIpcTransport(bridge);
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createWebSocketTransport(new WebSocket(`${scheme}//${window.location.host}${webSocketPath}`));
}

export const rpc = createRpcClient<Api>(connect());
