// The VNC console bridge: connects to the display libvirt reports for a domain (vnc-target.ts) and carries its
// bytes either over the `terminal.vnc` stream itself (Electron) or to a WebSocket that claims a one-time
// ticket (web mode). No caller ever names a host or port. Plain Node; never imports electron.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import { AppError } from '@shared/errors';
import { vncWebSocketPath } from '@shared/terminal-api';
import type { VncCarrier, VncEvent } from '@shared/terminal-types';
import { toAppError } from '../app-errors';
import type { Virsh } from '../libvirt/virsh';
import type { RpcContext, StreamSink } from '../rpc-server';
import { describeEndpoint, resolveVncEndpoint, type VncEndpoint } from './vnc-target';

export interface VncBridgeOptions {
  virsh: Virsh;
  /** This machine's own addresses (a display may listen on one). */
  localAddresses?: () => ReadonlySet<string>;
  connect?: (endpoint: VncEndpoint) => net.Socket;
  /** How long a WebSocket ticket may wait to be claimed. */
  ticketTtlMs?: number;
  connectTimeoutMs?: number;
}

export interface VncBridge {
  /** The `terminal.vnc` stream: resolve, connect, announce `ready`, and live as long as the subscription. */
  open(args: { uri: string; name: string; carrier: VncCarrier }, sink: StreamSink<VncEvent>, context: RpcContext): void;
  /** Bytes from the renderer for an `rpc`-carrier session (base64). */
  input(session: string, data: string, client: string): void;
  /** Web mode: the display connection for a ticket, once; undefined for an unknown, used or expired ticket. */
  claim(ticket: string): net.Socket | undefined;
  /** Display connections open now. */
  readonly connections: number;
  dispose(): void;
}

function hostAddresses(): ReadonlySet<string> {
  const addresses = new Set<string>();
  for (const entries of Object.values(os.networkInterfaces())) for (const entry of entries ?? []) addresses.add(entry.address);
  return addresses;
}

function connectTo(endpoint: VncEndpoint): net.Socket {
  return endpoint.kind === 'unix' ? net.connect(endpoint.path) : net.connect(endpoint.port, endpoint.host);
}

function connected(socket: net.Socket, timeoutMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const onConnect = () => {
      cleanup();
      resolve();
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onAbort = () => onError(new AppError('UNAVAILABLE', 'The console was closed before it connected'));
    const timer = setTimeout(() => onError(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })), timeoutMs);
    socket.once('connect', onConnect);
    socket.once('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export const newSecret = (): string => randomBytes(24).toString('base64url');

export function createVncBridge(options: VncBridgeOptions): VncBridge {
  const localAddresses = options.localAddresses ?? hostAddresses;
  const connect = options.connect ?? connectTo;
  const ticketTtlMs = options.ticketTtlMs ?? 30_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const sockets = new Set<net.Socket>();
  const rpcSessions = new Map<string, { socket: net.Socket; owner: string }>();
  const tickets = new Map<string, { socket: net.Socket; timer: NodeJS.Timeout }>();

  async function start(args: { uri: string; name: string; carrier: VncCarrier }, sink: StreamSink<VncEvent>, context: RpcContext) {
    const endpoint = await resolveVncEndpoint(options.virsh, args.uri, args.name, localAddresses(), context.signal);
    if (context.signal.aborted) return;
    const display = describeEndpoint(endpoint);
    const socket = connect(endpoint);
    sockets.add(socket);
    const session = newSecret();
    socket.once('close', () => {
      sockets.delete(socket);
      rpcSessions.delete(session);
      sink.end();
    });
    context.signal.addEventListener('abort', () => socket.destroy(), { once: true });
    try {
      await connected(socket, connectTimeoutMs, context.signal);
    } catch (error) {
      socket.destroy();
      throw toAppError(error, `Connecting to the VNC display of ${args.name} at ${display}`);
    }
    // After the handshake errors only end the connection; 'close' ends the stream.
    socket.on('error', () => undefined);
    if (args.carrier === 'rpc') {
      rpcSessions.set(session, { socket, owner: context.client });
      sink.next({ type: 'ready', session, display });
      socket.on('data', (chunk: Buffer) => sink.next({ type: 'data', data: chunk.toString('base64') }));
      return;
    }
    // Nothing is read until the WebSocket claims the connection, so the display's greeting waits for it.
    socket.pause();
    const ticket = newSecret();
    const timer = setTimeout(() => {
      tickets.delete(ticket);
      socket.destroy();
    }, ticketTtlMs);
    tickets.set(ticket, { socket, timer });
    socket.once('close', () => {
      clearTimeout(timer);
      tickets.delete(ticket);
    });
    sink.next({ type: 'ready', session, display, webSocketPath: `${vncWebSocketPath}?ticket=${ticket}` });
  }

  return {
    open(args, sink, context) {
      start(args, sink, context).catch((error: unknown) => sink.error(error));
    },
    input(session, data, client) {
      const entry = rpcSessions.get(session);
      if (!entry || entry.owner !== client) throw new AppError('NOT_FOUND', 'This console connection has ended', { fix: { text: 'Open the console again.' } });
      entry.socket.write(Buffer.from(data, 'base64'));
    },
    claim(ticket) {
      const entry = tickets.get(ticket);
      if (!entry) return undefined;
      tickets.delete(ticket);
      clearTimeout(entry.timer);
      return entry.socket;
    },
    get connections() {
      return sockets.size;
    },
    dispose() {
      for (const socket of sockets) socket.destroy();
      for (const { timer } of tickets.values()) clearTimeout(timer);
      tickets.clear();
    },
  };
}
