// One RPC suite run over every transport: in-memory, web mode's WebSocket (the real server) and Electron IPC
// (the real main-side transport, preload bridge and renderer transport, with stand-ins for Electron's objects).
import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { z } from 'zod';
import { ipcChannel, webSocketPath } from '@shared/api';
import { method, stream, type Contract } from '@shared/contract';
import { AppError } from '@shared/errors';
import { createRpcClient, type ClientTransport, type RpcClient } from '@shared/rpc-client';
import type { ClientMessage, ServerMessage } from '@shared/rpc-protocol';
import { createRpcServer, type RpcConnection, type RpcHandlers, type RpcServer } from '../../electron/backend/rpc-server';
import { attachIpcTransport, type FrameIdentity, type IpcMessageEvent, type NavigationStart } from '../../electron/main/ipc-transport';
import { createPreloadBridge } from '../../electron/preload/bridge';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { createIpcTransport } from '../../renderer/src/transports/ipc-transport';
import { createWebSocketTransport } from '../../renderer/src/transports/websocket-transport';
import { connectInMemory, type InMemoryLink } from '../helpers/in-memory-transport';

const testApi = {
  methods: {
    'test.echo': method<{ text: string }>()(z.strictObject({ text: z.string().max(100) })),
    'test.conflict': method<never>()(z.strictObject({})),
    'test.denied': method<never>()(z.strictObject({})),
    'test.hang': method<never>()(z.strictObject({})),
    'test.unsendable': method<unknown>()(z.strictObject({})),
  },
  streams: {
    /** Ticks 0, 1, 2, ...: `count` of them then the end, or until `failAt` with an error, or until unsubscribed. */
    'test.ticks': stream<number>()(
      z.strictObject({ count: z.number().int().positive().optional(), failAt: z.number().int().nonnegative().optional() }),
    ),
  },
} as const satisfies Contract;

type TestApi = typeof testApi;

const conflict = new AppError('CONFLICT', 'A container named web already exists', {
  detail: 'Conflict. The container name "/web" is already in use by container "3f2a".',
  fix: { text: 'Remove the old container or pick another name.', command: 'docker rm web' },
});

/** The server under test, what its handlers saw, and every connection it made. */
interface TestBackend {
  rpc: RpcServer;
  connections: RpcConnection[];
  hangStarted: Promise<void>;
  hangAborted: Promise<void>;
  ticksStarted: Promise<void>;
  ticksAborted: Promise<void>;
  reported: string[];
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

function createTestBackend(): TestBackend {
  const hangStarted = deferred();
  const hangAborted = deferred();
  const ticksStarted = deferred();
  const ticksAborted = deferred();
  const reported: string[] = [];
  const handlers: RpcHandlers<TestApi> = {
    methods: {
      'test.echo': ({ text }) => ({ text }),
      'test.conflict': () => {
        throw conflict;
      },
      'test.denied': () => {
        throw Object.assign(new Error("EACCES: permission denied, open '/dev/kvm'"), { code: 'EACCES', errno: -13 });
      },
      'test.hang': (_args, { signal }) => {
        hangStarted.resolve();
        return new Promise<never>((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            hangAborted.resolve();
            reject(signal.reason);
          });
        });
      },
      // Neither structured clone nor JSON can carry it.
      'test.unsendable': () => ({
        toJSON() {
          throw new Error('not serializable');
        },
      }),
    },
    streams: {
      'test.ticks': ({ count, failAt }, sink, { signal }) => {
        ticksStarted.resolve();
        let tick = 0;
        const timer = setInterval(() => {
          if (tick === failAt) sink.error(new AppError('UNAVAILABLE', 'The Docker daemon went away'));
          else if (tick === count) sink.end();
          else sink.next(tick++);
        }, 2);
        signal.addEventListener('abort', () => {
          clearInterval(timer);
          ticksAborted.resolve();
        });
      },
    },
  };
  const server = createRpcServer(testApi, handlers, { onError: (_error, where) => reported.push(where) });
  const connections: RpcConnection[] = [];
  const rpc: RpcServer = {
    get connections() {
      return server.connections;
    },
    connect(send, client) {
      const connection = server.connect(send, client);
      connections.push(connection);
      return connection;
    },
  };
  return {
    rpc,
    connections,
    hangStarted: hangStarted.promise,
    hangAborted: hangAborted.promise,
    ticksStarted: ticksStarted.promise,
    ticksAborted: ticksAborted.promise,
    reported,
  };
}

/** One client connected to a fresh test backend over one transport. */
interface Harness {
  backend: TestBackend;
  client: RpcClient<TestApi>;
  /** Sends anything at all, bypassing the typed client. */
  sendRaw(message: unknown): void;
  /** Every message the server sent this client. */
  received: ServerMessage[];
  /** The ways this client can go away; each must end its work on the server. */
  goAway: Record<string, () => void | Promise<void>>;
  /** Whether the client itself learns that it went away (an Electron page is simply gone). */
  clientSeesClose: boolean;
  close(): Promise<void>;
}

function tapped(transport: ClientTransport, received: ServerMessage[]): ClientTransport {
  transport.onMessage((message) => received.push(message));
  return transport;
}

async function inMemoryHarness(): Promise<Harness> {
  const backend = createTestBackend();
  const link: InMemoryLink = connectInMemory(backend.rpc);
  const received: ServerMessage[] = [];
  const transport = tapped(link.transport, received);
  return {
    backend,
    client: createRpcClient<TestApi>(transport),
    sendRaw: (message) => transport.send(message as ClientMessage),
    received,
    goAway: { disconnect: () => link.disconnect() },
    clientSeesClose: true,
    close: async () => link.disconnect(),
  };
}

/** Signs in the way a browser does: the printed ?token= address, then the cookie it sets. */
async function signIn(server: WebServer): Promise<string> {
  const response = await fetch(server.url, { redirect: 'manual' });
  expect(response.status).toBe(303);
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('web mode set no session cookie');
  return cookie;
}

async function webSocketHarness(): Promise<Harness> {
  const backend = createTestBackend();
  const staticDir = await fs.mkdtemp(path.join(os.tmpdir(), 'isolab-test-static-'));
  await fs.writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Isolab</title>');
  const server = await startWebServer({ rpc: backend.rpc, staticDir, token: 'test-token-1234', port: 0 });
  const cookie = await signIn(server);
  const origin = `http://127.0.0.1:${server.port}`;
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}${webSocketPath}`, { headers: { Cookie: cookie, Origin: origin } });
  const received: ServerMessage[] = [];
  const transport = tapped(createWebSocketTransport(socket), received);
  return {
    backend,
    client: createRpcClient<TestApi>(transport),
    sendRaw: (message) => transport.send(message as ClientMessage),
    received,
    goAway: { 'socket closed': () => socket.close() },
    clientSeesClose: true,
    close: async () => {
      socket.terminate();
      await server.close();
      await fs.rm(staticDir, { recursive: true, force: true });
    },
  };
}

/** Stand-in for an Electron window: its webContents, its main frame, and the page loaded in it. */
class FakeWindow extends EventEmitter {
  readonly id = 7;
  readonly mainFrame: FrameIdentity = { processId: 3, routingId: 1 };
  readonly subframe: FrameIdentity = { processId: 3, routingId: 2 };
  destroyed = false;
  sent = 0;
  private page: EventEmitter | undefined;

  constructor(private readonly ipcMain: EventEmitter) {
    super();
  }

  isDestroyed() {
    return this.destroyed;
  }

  /** Like Electron, clones at once (so an uncloneable message throws here) and delivers later. */
  send(channel: string, message: ServerMessage) {
    const copy = structuredClone(message);
    this.sent++;
    const page = this.page;
    setImmediate(() => page?.emit(channel, { sender: 'ipcRenderer' }, copy));
  }

  /** A new document in the main frame: a fresh ipcRenderer, preload bridge and RPC client. */
  loadPage(received: ServerMessage[] = []) {
    const page = new EventEmitter();
    this.page = page;
    const ipcRenderer = {
      send: (channel: string, message: unknown, pageId: string) => {
        const copy = structuredClone(message);
        setImmediate(() => this.fromFrame(this.mainFrame, channel, copy, this, pageId));
      },
      on: (channel: string, listener: (event: unknown, message: ServerMessage) => void) => page.on(channel, listener),
    };
    const transport = tapped(createIpcTransport(createPreloadBridge(ipcRenderer)), received);
    return { client: createRpcClient<TestApi>(transport), transport };
  }

  /** A message on the channel as Electron's ipcMain would emit it, with the preload's page id. */
  fromFrame(senderFrame: FrameIdentity | null, channel: string, message: unknown, sender: unknown = this, pageId: unknown = 'page-1') {
    const event: IpcMessageEvent = { sender, senderFrame };
    this.ipcMain.emit(channel, event, message, pageId);
  }

  navigate(details: NavigationStart) {
    if (details.isMainFrame && !details.isSameDocument) this.page = undefined;
    this.emit('did-start-navigation', details);
  }

  crash() {
    this.page = undefined;
    this.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
  }

  destroy() {
    this.page = undefined;
    this.destroyed = true;
    this.emit('destroyed');
  }
}

const reload: NavigationStart = { isMainFrame: true, isSameDocument: false };

function ipcParts() {
  const backend = createTestBackend();
  const ipcMain = new EventEmitter();
  const window = new FakeWindow(ipcMain);
  const log = vi.fn<(message: string) => void>();
  const detach = attachIpcTransport({ ipcMain, contents: window, rpc: backend.rpc, log });
  return { backend, ipcMain, window, log, detach };
}

async function ipcHarness(): Promise<Harness> {
  const { backend, window, detach } = ipcParts();
  const received: ServerMessage[] = [];
  const { client, transport } = window.loadPage(received);
  return {
    backend,
    client,
    sendRaw: (message) => transport.send(message as ClientMessage),
    received,
    goAway: {
      reload: () => window.navigate(reload),
      'render process gone': () => window.crash(),
      'window destroyed': () => window.destroy(),
    },
    clientSeesClose: false,
    close: async () => detach(),
  };
}

const transports = [
  { name: 'in-memory', create: inMemoryHarness, ways: ['disconnect'] },
  { name: 'WebSocket', create: webSocketHarness, ways: ['socket closed'] },
  { name: 'Electron IPC', create: ipcHarness, ways: ['reload', 'render process gone', 'window destroyed'] },
];

function collect(client: RpcClient<TestApi>, args: { count?: number; failAt?: number }) {
  const events: number[] = [];
  const done = new Promise<AppError | 'end'>((resolve) => {
    client.subscribe('test.ticks', args, { next: (tick) => events.push(tick), end: () => resolve('end'), error: resolve });
  });
  return { events, done };
}

describe.each(transports)('RPC over $name', ({ create, ways }) => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await create();
  });
  afterEach(async () => {
    await harness.close();
  });

  it('answers a typed call with its value', async () => {
    await expect(harness.client.call('test.echo', { text: 'hello' })).resolves.toEqual({ text: 'hello' });
    expect(harness.backend.rpc.connections).toBe(1);
  });

  it('refuses bad arguments with INVALID_ARGUMENT and the schema problem', async () => {
    const error = await harness.client.call('test.echo', { text: 42 } as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'Invalid arguments for test.echo' });
    expect((error as AppError).detail).toMatch(/expected string[\s\S]*text/);
  });

  it('refuses an unknown method with INVALID_ARGUMENT', async () => {
    await expect(harness.client.call('test.nothing' as 'test.echo', { text: 'x' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'Unknown method "test.nothing"',
    });
  });

  it('passes an AppError through with its code, detail and fix', async () => {
    const error = await harness.client.call('test.conflict', {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'CONFLICT', message: conflict.message, detail: conflict.detail, fix: conflict.fix });
  });

  it('maps a Node errno error (EACCES) to PERMISSION_DENIED and keeps its text', async () => {
    await expect(harness.client.call('test.denied', {})).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      detail: "EACCES: permission denied, open '/dev/kvm'",
    });
  });

  it('fails a call whose reply cannot be sent with INTERNAL instead of leaving it waiting', async () => {
    await expect(harness.client.call('test.unsendable', {})).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(harness.backend.reported.length).toBeGreaterThan(0);
  });

  it('delivers stream events, then the end', async () => {
    const { events, done } = collect(harness.client, { count: 3 });
    await expect(done).resolves.toBe('end');
    expect(events).toEqual([0, 1, 2]);
    expect(harness.backend.connections[0]?.openSubscriptions).toBe(0);
  });

  it('ends a stream with the error its source failed with', async () => {
    const { events, done } = collect(harness.client, { failAt: 2 });
    await expect(done).resolves.toMatchObject({ code: 'UNAVAILABLE', message: 'The Docker daemon went away' });
    expect(events).toEqual([0, 1]);
  });

  it('ends a subscription with bad arguments, or to an unknown topic, with INVALID_ARGUMENT', async () => {
    await expect(collect(harness.client, { count: -1 }).done).resolves.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'Invalid arguments for test.ticks',
    });
    const untyped = harness.client as unknown as RpcClient<Contract>;
    const unknownTopic = new Promise<AppError>((resolve) => untyped.subscribe('test.nowhere', {}, { next() {}, error: resolve }));
    await expect(unknownTopic).resolves.toMatchObject({ code: 'INVALID_ARGUMENT', message: 'Unknown stream "test.nowhere"' });
  });

  it('stops the source when the client unsubscribes', async () => {
    const events: number[] = [];
    const subscription = harness.client.subscribe('test.ticks', {}, { next: (tick) => events.push(tick) });
    await vi.waitFor(() => expect(events.length).toBeGreaterThan(0));
    subscription.unsubscribe();
    await harness.backend.ticksAborted;
    expect(harness.backend.connections[0]?.openSubscriptions).toBe(0);
    expect(harness.backend.rpc.connections).toBe(1);
  });

  it.each(ways)('ends the calls and streams of a client that goes away (%s)', async (way) => {
    const hanging = harness.client.call('test.hang', {});
    const outcome = hanging.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    harness.client.subscribe('test.ticks', {}, { next() {} });
    await harness.backend.hangStarted;
    await harness.backend.ticksStarted;
    const connection = harness.backend.connections[0];
    expect(connection?.openCalls).toBe(1);
    expect(connection?.openSubscriptions).toBe(1);

    await harness.goAway[way]!();

    await harness.backend.hangAborted;
    await harness.backend.ticksAborted;
    await vi.waitFor(() => expect(harness.backend.rpc.connections).toBe(0));
    expect(connection?.openCalls).toBe(0);
    expect(connection?.openSubscriptions).toBe(0);
    if (harness.clientSeesClose) await expect(outcome).resolves.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('survives malformed messages and answers a malformed call that has an id', async () => {
    const malformed: unknown[] = [
      null,
      42,
      'call',
      [],
      {},
      { type: 'call' },
      { type: 'shutdown', id: 1 },
      { type: 'call', id: -1, method: 'test.echo', args: { text: 'x' } },
      { type: 'call', id: 1.5, method: 'test.echo', args: { text: 'x' } },
      { type: 'call', id: 900_001, method: 'x'.repeat(500), args: {} },
      { type: 'call', id: 900_002, method: 'test.echo', args: { text: 'x' }, extra: true },
      { type: 'subscribe', id: 900_003, topic: 42, args: {} },
      { type: 'unsubscribe', id: 'all' },
      { type: 'unsubscribe', id: 900_004 },
    ];
    for (const message of malformed) harness.sendRaw(message);
    await expect(harness.client.call('test.echo', { text: 'still here' })).resolves.toEqual({ text: 'still here' });

    const answered = (id: number) => harness.received.find((message) => message.id === id);
    expect(answered(900_001)).toMatchObject({ type: 'result', ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(answered(900_002)).toMatchObject({ type: 'result', ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(answered(900_003)).toMatchObject({ type: 'end', error: { code: 'INVALID_ARGUMENT' } });
    expect(answered(900_004)).toBeUndefined();
    expect(harness.backend.reported.filter((where) => where.startsWith('malformed message'))).toHaveLength(9);
    expect(harness.backend.rpc.connections).toBe(1);
  });
});

describe('RPC over Electron IPC only', () => {
  const call = (id: number): ClientMessage => ({ type: 'call', id, method: 'test.echo', args: { text: 'sneaky' } });

  it('ignores a message from another webContents', () => {
    const { backend, window, log, detach } = ipcParts();
    window.fromFrame(window.mainFrame, ipcChannel, call(1), { id: 8 });
    expect(backend.rpc.connections).toBe(0);
    expect(window.sent).toBe(0);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('not window 7'));
    detach();
  });

  it('ignores a message from a subframe, or from a frame that is already gone', () => {
    const { backend, window, log, detach } = ipcParts();
    window.fromFrame(window.subframe, ipcChannel, call(1));
    window.fromFrame(null, ipcChannel, call(2));
    window.fromFrame({ processId: 4, routingId: 1 }, ipcChannel, call(3));
    expect(backend.rpc.connections).toBe(0);
    expect(window.sent).toBe(0);
    expect(log).toHaveBeenCalledTimes(3);
    window.fromFrame(window.mainFrame, ipcChannel, call(4));
    expect(backend.rpc.connections).toBe(1);
    detach();
  });

  it('ignores a message that carries no page id', () => {
    const { backend, window, log, detach } = ipcParts();
    window.fromFrame(window.mainFrame, ipcChannel, call(1), window, null);
    window.fromFrame(window.mainFrame, ipcChannel, call(2), window, 42);
    expect(backend.rpc.connections).toBe(0);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('without a page id'));
    detach();
  });

  it('drops a late message from a page that has gone, so it starts no work nobody would end', async () => {
    const { backend, window, detach } = ipcParts();
    window.fromFrame(window.mainFrame, ipcChannel, call(1), window, 'page-a');
    expect(backend.rpc.connections).toBe(1);
    await vi.waitFor(() => expect(window.sent).toBe(1));
    window.navigate(reload);
    window.fromFrame(window.mainFrame, ipcChannel, { type: 'subscribe', id: 2, topic: 'test.ticks', args: {} }, window, 'page-a');
    expect(backend.rpc.connections).toBe(0);
    window.fromFrame(window.mainFrame, ipcChannel, call(1), window, 'page-b');
    expect(backend.rpc.connections).toBe(1);
    expect(backend.connections.at(-1)?.openSubscriptions).toBe(0);
    detach();
  });

  it('ends the previous page\'s work when a new page speaks, even if no navigation event came', async () => {
    const { backend, window, detach } = ipcParts();
    window.fromFrame(window.mainFrame, ipcChannel, { type: 'subscribe', id: 1, topic: 'test.ticks', args: {} }, window, 'page-a');
    expect(backend.connections[0]?.openSubscriptions).toBe(1);
    window.fromFrame(window.mainFrame, ipcChannel, call(1), window, 'page-b');
    await backend.ticksAborted;
    expect(backend.rpc.connections).toBe(1);
    expect(backend.connections[0]?.openSubscriptions).toBe(0);
    detach();
  });

  it('keeps the connection through same-document and subframe navigations, and ends it on reload', async () => {
    const { backend, window, detach } = ipcParts();
    const { client } = window.loadPage();
    const events: number[] = [];
    client.subscribe('test.ticks', {}, { next: (tick) => events.push(tick) });
    await vi.waitFor(() => expect(events.length).toBeGreaterThan(0));

    window.navigate({ isMainFrame: true, isSameDocument: true });
    window.navigate({ isMainFrame: false, isSameDocument: false });
    const seen = events.length;
    await vi.waitFor(() => expect(events.length).toBeGreaterThan(seen));
    expect(backend.connections[0]?.openSubscriptions).toBe(1);

    window.navigate(reload);
    await backend.ticksAborted;
    expect(backend.rpc.connections).toBe(0);
    detach();
  });

  it('gives the next page load its own connection', async () => {
    const { backend, window, detach } = ipcParts();
    await expect(window.loadPage().client.call('test.echo', { text: 'first' })).resolves.toEqual({ text: 'first' });
    window.navigate(reload);
    expect(backend.rpc.connections).toBe(0);
    await expect(window.loadPage().client.call('test.echo', { text: 'second' })).resolves.toEqual({ text: 'second' });
    expect(backend.connections).toHaveLength(2);
    expect(backend.rpc.connections).toBe(1);
    detach();
  });

  it('sends nothing to a destroyed window and lets go of ipcMain and the window', async () => {
    const { backend, ipcMain, window } = ipcParts();
    const { client } = window.loadPage();
    void client.call('test.hang', {});
    await backend.hangStarted;
    window.destroy();
    await backend.hangAborted;
    expect(window.sent).toBe(0);
    expect(ipcMain.listenerCount(ipcChannel)).toBe(0);
    for (const event of ['did-start-navigation', 'render-process-gone', 'destroyed']) {
      expect(window.listenerCount(event)).toBe(0);
    }
  });

  it('detach ends the connection and removes every listener', async () => {
    const { backend, ipcMain, window, detach } = ipcParts();
    await window.loadPage().client.call('test.echo', { text: 'x' });
    detach();
    expect(backend.rpc.connections).toBe(0);
    expect(ipcMain.listenerCount(ipcChannel)).toBe(0);
    expect(window.eventNames()).toEqual([]);
  });
});

describe('RPC over WebSocket only', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it.each([
    ['a frame that is not JSON', (socket: WebSocket) => socket.send('{not json'), 1007],
    ['a binary frame', (socket: WebSocket) => socket.send(Buffer.from('{}')), 1003],
  ])('closes a socket that sends %s and keeps serving others', async (_name, misbehave, closeCode) => {
    const backend = createTestBackend();
    const staticDir = await fs.mkdtemp(path.join(os.tmpdir(), 'isolab-test-static-'));
    cleanups.push(() => fs.rm(staticDir, { recursive: true, force: true }));
    const server = await startWebServer({ rpc: backend.rpc, staticDir, token: 'test-token-5678', port: 0 });
    cleanups.push(() => server.close());
    const cookie = await signIn(server);
    const open = (): Promise<WebSocket> =>
      new Promise((resolve, reject) => {
        const socket = new WebSocket(`ws://127.0.0.1:${server.port}${webSocketPath}`, {
          headers: { Cookie: cookie, Origin: `http://127.0.0.1:${server.port}` },
        });
        socket.once('open', () => resolve(socket));
        socket.once('error', reject);
      });

    const bad = await open();
    const closed = new Promise<number>((resolve) => bad.once('close', resolve));
    misbehave(bad);
    await expect(closed).resolves.toBe(closeCode);
    await vi.waitFor(() => expect(backend.rpc.connections).toBe(0));

    const good = createRpcClient<TestApi>(createWebSocketTransport(await open()));
    await expect(good.call('test.echo', { text: 'ok' })).resolves.toEqual({ text: 'ok' });
    expect(backend.rpc.connections).toBe(1);
  });
});
