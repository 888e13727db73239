// What the terminal and console methods and streams carry: session targets, session facts, output events,
// and the VNC console's events. Pure TypeScript; no node:*, DOM or electron.

/** What a terminal session is attached to. */
export type TerminalTarget =
  | { kind: 'host-shell' }
  | { kind: 'container-exec'; id: string; command?: string[]; user?: string; workdir?: string }
  | { kind: 'container-attach'; id: string }
  | { kind: 'vm-serial'; uri: string; name: string };

export interface TerminalSession {
  /** Random and unguessable; every later call names the session by it. */
  id: string;
  target: TerminalTarget;
  /** What the session is attached to, for its tab: "Shell: root@host", "sh in web-1", "Serial: guest". */
  title: string;
  /** The program that runs, as the user would type it. */
  command: string;
  /** Said once above the output: how to leave a console, what runs where. */
  notice?: string;
}

/**
 * The output of a session: text in batches (about 16 ms or 200 KB, whole characters only), then one `exit`
 * when its process or connection ends. `canReopen`: opening the same target again may work (a container
 * that restarted, a VM console after the VM started again).
 */
export type TerminalEvent =
  | { type: 'data'; data: string }
  | { type: 'exit'; message: string; exitCode?: number; canReopen: boolean };

/** How the renderer carries the VNC bytes: a WebSocket of its own (web mode) or the RPC stream itself (Electron). */
export type VncCarrier = 'websocket' | 'rpc';

/**
 * The VNC console of one VM. `ready` comes first, once the backend has connected to the display libvirt
 * reports for the domain; with the `websocket` carrier it names the one-time path to open. With `rpc`,
 * the display's bytes follow as `data` (base64). The stream ends when the display closes its connection.
 */
export type VncEvent =
  | { type: 'ready'; session: string; display: string; webSocketPath?: string }
  | { type: 'data'; data: string };
