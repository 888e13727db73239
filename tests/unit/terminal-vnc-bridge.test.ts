// The VNC bridge connects only to the display libvirt reports for the domain: recorded `virsh dumpxml` of this
// machine's domains decide the target; remote connections, foreign listen addresses, forged, reused or expired
// tickets and any host/port in the WebSocket URL are refused or ignored.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { AppError } from '@shared/errors';
import type { VncEvent } from '@shared/terminal-types';
import type { Virsh } from '../../electron/backend/libvirt/virsh';
import { createVncBridge } from '../../electron/backend/terminal/vnc-bridge';
import { isLocalLibvirtUri, vncEndpointFromXml, type VncEndpoint } from '../../electron/backend/terminal/vnc-target';
import { createVncWebSockets } from '../../electron/web/vnc-websocket';

const fixture = (name: string) => fs.readFileSync(new URL(`../fixtures/libvirt/${name}`, import.meta.url), 'utf8');
const none = new Set<string>();

function thrown(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('the display libvirt reports', () => {
  it('is the live port and listen address of a running domain', () => {
    expect(vncEndpointFromXml(fixture('terminal/vnc-loopback-running.xml'), 'g', none)).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 5900 });
  });

  it('is loopback for a display listening on every address', () => {
    expect(vncEndpointFromXml(fixture('terminal/vnc-any-running.xml'), 'g', none)).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 5901 });
  });

  it("is libvirt's unix socket when the display listens on one", () => {
    expect(vncEndpointFromXml(fixture('terminal/vnc-socket-running.xml'), 'g', none)).toEqual({
      kind: 'unix',
      path: '/var/lib/libvirt/qemu/domain-12-itest-term-record2/vnc.sock',
    });
  });

  it('skips a SPICE display for the VNC one', () => {
    expect(vncEndpointFromXml(fixture('domain-running.xml'), 'g', none)).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 5900 });
  });

  it('does not exist while the domain is shut off', () => {
    expect(thrown(() => vncEndpointFromXml(fixture('terminal/vnc-loopback-inactive.xml'), 'g', none)).code).toBe('CONFLICT');
  });

  it('is refused on an address that is not this machine', () => {
    const foreign = fixture('terminal/vnc-loopback-running.xml').replaceAll("'127.0.0.1'", "'192.0.2.7'");
    const error = thrown(() => vncEndpointFromXml(foreign, 'g', none));
    expect(error.code).toBe('PERMISSION_DENIED');
    expect(vncEndpointFromXml(foreign, 'g', new Set(['192.0.2.7']))).toEqual({ kind: 'tcp', host: '192.0.2.7', port: 5900 });
  });

  it('is missing when the domain has no VNC graphics, with the fix', () => {
    const withoutVnc = fixture('terminal/vnc-loopback-running.xml').replace(/<graphics[^]*?<\/graphics>/, '');
    const error = thrown(() => vncEndpointFromXml(withoutVnc, 'g', none));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.fix?.command).toContain('--graphics vnc');
  });

  it('is only sought on a local libvirt connection', () => {
    expect(isLocalLibvirtUri('qemu:///system')).toBe(true);
    expect(isLocalLibvirtUri('qemu:///session')).toBe(true);
    expect(isLocalLibvirtUri('qemu+ssh://user@host/system')).toBe(false);
    expect(isLocalLibvirtUri('qemu+tcp://192.0.2.7/system')).toBe(false);
  });
});

/** A stand-in display: a TCP server that greets like a VNC server and records what it receives. */
async function fakeDisplay() {
  const received: Buffer[] = [];
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.write('RFB 003.008\n');
    socket.on('data', (chunk) => received.push(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, received };
}

function virshWith(xml: string): Virsh & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    run: async (uri, args) => {
      calls.push([uri, ...args]);
      return xml;
    },
    version: async () => '9.0.0',
  };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function subscribe(bridge: ReturnType<typeof createVncBridge>, carrier: 'rpc' | 'websocket', uri = 'qemu:///system') {
  const events: VncEvent[] = [];
  const controller = new AbortController();
  const done = new Promise<unknown>((resolve) => {
    bridge.open({ uri, name: 'guest', carrier }, { next: (event) => events.push(event), end: () => resolve('end'), error: (error) => resolve(error) }, { signal: controller.signal, client: 'c1' });
  });
  cleanups.push(() => controller.abort());
  return { events, controller, done };
}

async function until<T>(check: () => T | undefined): Promise<T> {
  for (let tries = 0; tries < 200; tries++) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition never held');
}

describe('the bridge', () => {
  it('connects to the endpoint from the domain XML, and only there', async () => {
    const display = await fakeDisplay();
    cleanups.push(() => display.server.close());
    const xml = fixture('terminal/vnc-loopback-running.xml').replace("port='5900'", `port='${display.port}'`);
    const virsh = virshWith(xml);
    const targets: VncEndpoint[] = [];
    const bridge = createVncBridge({ virsh, connect: (endpoint) => (targets.push(endpoint), net.connect(endpoint.kind === 'tcp' ? endpoint.port : 0, '127.0.0.1')) });
    const { events } = subscribe(bridge, 'rpc');
    const data = await until(() => events.find((event) => event.type === 'data'));
    expect(Buffer.from(data.type === 'data' ? data.data : '', 'base64').toString()).toBe('RFB 003.008\n');
    expect(virsh.calls).toEqual([['qemu:///system', 'dumpxml', '--domain', 'guest']]);
    expect(targets).toEqual([{ kind: 'tcp', host: '127.0.0.1', port: display.port }]);
    const ready = events[0];
    if (ready?.type !== 'ready') throw new Error('no ready event');
    bridge.input(ready.session, Buffer.from('RFB 003.008\n').toString('base64'), 'c1');
    await until(() => (display.received.length > 0 ? true : undefined));
    expect(() => bridge.input(ready.session, 'AA==', 'another client')).toThrow(/ended/);
    bridge.dispose();
  });

  it('refuses a remote libvirt connection before asking it anything', async () => {
    const virsh = virshWith(fixture('terminal/vnc-loopback-running.xml'));
    const connect = vi.fn();
    const bridge = createVncBridge({ virsh, connect });
    const { done } = subscribe(bridge, 'rpc', 'qemu+ssh://user@host/system');
    expect(await done).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(virsh.calls).toEqual([]);
    expect(connect).not.toHaveBeenCalled();
  });

  it('refuses a display on a foreign address without connecting', async () => {
    const virsh = virshWith(fixture('terminal/vnc-loopback-running.xml').replaceAll("'127.0.0.1'", "'192.0.2.7'"));
    const connect = vi.fn();
    const bridge = createVncBridge({ virsh, connect, localAddresses: () => new Set(['127.0.0.1']) });
    const { done } = subscribe(bridge, 'websocket');
    expect(await done).toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(connect).not.toHaveBeenCalled();
  });

  it('gives a WebSocket ticket that works once, and lets it expire', async () => {
    const display = await fakeDisplay();
    cleanups.push(() => display.server.close());
    const xml = fixture('terminal/vnc-loopback-running.xml').replace("port='5900'", `port='${display.port}'`);
    const bridge = createVncBridge({ virsh: virshWith(xml), ticketTtlMs: 200 });
    const first = subscribe(bridge, 'websocket');
    const ready = await until(() => first.events[0]);
    if (ready.type !== 'ready' || !ready.webSocketPath) throw new Error('no ticket');
    const ticket = new URL(ready.webSocketPath, 'http://x').searchParams.get('ticket')!;
    expect(bridge.claim('forged-ticket')).toBeUndefined();
    const socket = bridge.claim(ticket);
    expect(socket).toBeDefined();
    expect(bridge.claim(ticket)).toBeUndefined();
    socket!.destroy();
    expect(await first.done).toBe('end');

    const second = subscribe(bridge, 'websocket');
    const unclaimed = await until(() => second.events[0]);
    const late = new URL(unclaimed.type === 'ready' ? unclaimed.webSocketPath! : '', 'http://x').searchParams.get('ticket')!;
    expect(await second.done).toBe('end');
    expect(bridge.claim(late)).toBeUndefined();
    bridge.dispose();
  });

  it('serves the WebSocket path only for a live ticket and ignores any host or port in the URL', async () => {
    const display = await fakeDisplay();
    const decoy = await fakeDisplay();
    cleanups.push(() => display.server.close(), () => decoy.server.close());
    const xml = fixture('terminal/vnc-loopback-running.xml').replace("port='5900'", `port='${display.port}'`);
    const bridge = createVncBridge({ virsh: virshWith(xml) });
    const sockets = createVncWebSockets(bridge);
    const server = http.createServer();
    server.on('upgrade', (request, socket, head) => {
      if (!sockets.upgrade(request, socket, head)) socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      sockets.close();
      server.close();
    });
    const base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const opens = (path: string) =>
      new Promise<string>((resolve) => {
        const client = new WebSocket(`${base}${path}`);
        client.on('message', (data: Buffer) => {
          resolve(data.toString());
          client.close();
        });
        client.on('unexpected-response', () => resolve('refused'));
        client.on('error', () => resolve('refused'));
      });
    expect(await opens(`/vnc?host=127.0.0.1&port=${decoy.port}`)).toBe('refused');
    expect(await opens('/vnc?ticket=forged')).toBe('refused');
    const { events } = subscribe(bridge, 'websocket');
    const ready = await until(() => events[0]);
    const path = ready.type === 'ready' ? ready.webSocketPath! : '';
    expect(await opens(`${path}&host=127.0.0.1&port=${decoy.port}`)).toBe('RFB 003.008\n');
    expect(await opens(path)).toBe('refused');
    expect(decoy.received).toEqual([]);
    bridge.dispose();
  });
});
