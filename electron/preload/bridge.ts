// The preload's bridge: the renderer's RPC messages onto the one IPC channel and back, nothing else.
// Never imports electron at run time (index.ts passes the real ipcRenderer), so unit tests run it with a stand-in.
import { ipcChannel } from '@shared/api';
import type { ClientMessage, PreloadBridge, ServerMessage } from '@shared/rpc-protocol';

/** The parts of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  send(channel: string, message: ClientMessage, page: string): void;
  on(channel: string, listener: (event: unknown, message: ServerMessage) => void): unknown;
}

/** A preload runs once per document: an id of its own tells the main process which page load a message is from. */
export function newPageId(): string {
  return Array.from(crypto.getRandomValues(new Uint32Array(4)), (part) => part.toString(36)).join('-');
}

export function createPreloadBridge(ipcRenderer: IpcRendererLike, page = newPageId()): PreloadBridge {
  return {
    send: (message) => ipcRenderer.send(ipcChannel, message, page),
    // The IPC event is not passed on: it would hand the page a reference to ipcRenderer itself.
    onMessage: (listener) => {
      ipcRenderer.on(ipcChannel, (_event, message) => listener(message));
    },
  };
}
