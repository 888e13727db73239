// Main-process side of the Electron IPC transport: messages only from our window's main frame, one RPC connection
// per page load (told apart by the preload's page id). Never imports electron (its objects fit these interfaces),
// so unit tests run it with stand-ins.
import { ipcChannel } from '@shared/api';
import type { ServerMessage } from '@shared/rpc-protocol';
import type { RpcConnection, RpcServer } from '../backend/rpc-server';

/** Enough of a WebFrameMain to tell which frame it is. */
export interface FrameIdentity {
  readonly processId: number;
  readonly routingId: number;
}

/** The parts of an IpcMainEvent this transport reads. */
export interface IpcMessageEvent {
  readonly sender: unknown;
  /** Null when the frame navigated away or was destroyed before the message was handled. */
  readonly senderFrame: FrameIdentity | null;
}

/** The parts of Electron's ipcMain this transport uses. */
export interface IpcMainLike {
  on(channel: string, listener: (event: IpcMessageEvent, message: unknown, page: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: IpcMessageEvent, message: unknown, page: unknown) => void): unknown;
}

/** What Electron 45 passes to 'did-start-navigation' (its first argument; the later ones are deprecated). */
export interface NavigationStart {
  readonly isMainFrame: boolean;
  readonly isSameDocument: boolean;
}

/** The parts of the window's WebContents this transport uses. */
export interface WindowContents {
  readonly id: number;
  readonly mainFrame: FrameIdentity;
  isDestroyed(): boolean;
  send(channel: string, message: ServerMessage): void;
  on(event: 'did-start-navigation', listener: (details: NavigationStart) => void): unknown;
  on(event: 'render-process-gone' | 'destroyed', listener: () => void): unknown;
  removeListener(event: 'did-start-navigation', listener: (details: NavigationStart) => void): unknown;
  removeListener(event: 'render-process-gone' | 'destroyed', listener: () => void): unknown;
}

export interface IpcTransportOptions {
  ipcMain: IpcMainLike;
  contents: WindowContents;
  rpc: RpcServer;
  /** Where refused messages are reported. */
  log(message: string): void;
}

/** How many ended page loads are remembered, so that their late messages are dropped. */
const rememberedPages = 32;

/** Serves `rpc` to the window behind `contents` until the returned function is called or the window is destroyed. */
export function attachIpcTransport({ ipcMain, contents, rpc, log }: IpcTransportOptions): () => void {
  let current: { page: string; connection: RpcConnection } | undefined;
  const ended = new Set<string>();
  let pageLoads = 0;

  // WebFrameMain wrappers are not documented to be unique per frame, so the frame is matched by its ids.
  const isOurMainFrame = (frame: FrameIdentity | null) =>
    frame !== null &&
    !contents.isDestroyed() &&
    frame.processId === contents.mainFrame.processId &&
    frame.routingId === contents.mainFrame.routingId;

  // The page that made the calls and subscriptions is gone: its work is cancelled, and the next page starts afresh.
  const endPage = () => {
    if (!current) return;
    ended.add(current.page);
    if (ended.size > rememberedPages) ended.delete(ended.values().next().value!);
    current.connection.dispose();
    current = undefined;
  };

  const onMessage = (event: IpcMessageEvent, message: unknown, page: unknown) => {
    if (event.sender !== contents) {
      log(`ignored an RPC message from a webContents that is not window ${contents.id}`);
      return;
    }
    if (!isOurMainFrame(event.senderFrame)) {
      log(`ignored an RPC message from a frame of webContents ${contents.id} that is not its main frame`);
      return;
    }
    if (typeof page !== 'string' || page.length === 0 || page.length > 100) {
      log(`ignored an RPC message without a page id from webContents ${contents.id}`);
      return;
    }
    // A message the old page sent just before it went away must not start work that nobody would end.
    if (ended.has(page)) return;
    if (current && current.page !== page) endPage();
    current ??= {
      page,
      connection: rpc.connect((reply) => {
        if (!contents.isDestroyed()) contents.send(ipcChannel, reply);
      }, `ipc:webContents ${contents.id} load ${++pageLoads}`),
    };
    current.connection.receive(message);
  };

  const onNavigationStart = (details: NavigationStart) => {
    if (details.isMainFrame && !details.isSameDocument) endPage();
  };

  const detach = () => {
    ipcMain.removeListener(ipcChannel, onMessage);
    contents.removeListener('did-start-navigation', onNavigationStart);
    contents.removeListener('render-process-gone', endPage);
    contents.removeListener('destroyed', detach);
    endPage();
  };

  ipcMain.on(ipcChannel, onMessage);
  contents.on('did-start-navigation', onNavigationStart);
  contents.on('render-process-gone', endPage);
  contents.on('destroyed', detach);
  return detach;
}
