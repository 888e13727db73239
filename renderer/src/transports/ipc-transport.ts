// The renderer's transport in the Electron window: the preload's bridge to the one IPC channel.
// Imports only shared code; no node:* and no electron (the preload owns that).
import type { ClientTransport } from '@shared/rpc-client';
import type { PreloadBridge } from '@shared/rpc-protocol';

export function createIpcTransport(bridge: PreloadBridge): ClientTransport {
  return {
    send: (message) => bridge.send(message),
    onMessage: (handler) => bridge.onMessage(handler),
    // The window and its backend live and die together: this channel never closes under the page.
    onClose: () => {},
  };
}
