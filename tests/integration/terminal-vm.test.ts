// VM consoles against the real libvirtd and QEMU (TCG): the serial console of the test guest through `virsh console`
// in a pty, across a guest reboot, and the VNC bridge to the display libvirt reports, over both carriers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VncEvent } from '@shared/terminal-types';
import { startBackend, type TestBackend } from './helpers/docker-cli';
import { defineAndStartGuest, guestReadyMarker, removeGuests, systemUri, virshCli } from './helpers/terminal-guest';
import { openTerminal } from './helpers/terminal-session';

const prefix = 'itest-term-';
const serialGuest = `${prefix}serial`;
const vncGuest = `${prefix}vnc`;
let test: TestBackend;

beforeAll(() => {
  removeGuests(prefix);
  test = startBackend('terminal-vm-test');
});
afterAll(() => {
  test?.close();
  removeGuests(prefix);
});

describe('serial console', () => {
  it('shows the boot, runs a command in the guest shell, stays across a reboot and says how to leave', async () => {
    defineAndStartGuest({ name: serialGuest });
    const terminal = await openTerminal(test.client, { kind: 'vm-serial', uri: systemUri, name: serialGuest });
    expect(terminal.session.title).toBe(`Serial: ${serialGuest}`);
    expect(terminal.session.notice).toMatch(/Ctrl\+\]/);
    await terminal.waitFor(new RegExp(guestReadyMarker()), 90_000);
    await terminal.type('echo "itest-$((6*7))"\r');
    await terminal.waitFor(/itest-42/);
    virshCli('reboot', serialGuest);
    const mark = terminal.received();
    await terminal.waitFor(new RegExp(guestReadyMarker()), 90_000, mark);
    await test.client.call('terminal.close', { id: terminal.session.id });
    expect((await terminal.exit).canReopen).toBe(true);
  });

  it('refuses a VM that is not running', async () => {
    virshCli('destroy', serialGuest);
    await expect(test.client.call('terminal.open', { target: { kind: 'vm-serial', uri: systemUri, name: serialGuest }, cols: 80, rows: 24 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});

function firstVncEvents(carrier: 'rpc' | 'websocket'): Promise<{ events: VncEvent[]; unsubscribe(): void; ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const events: VncEvent[] = [];
    let endedResolve!: () => void;
    const ended = new Promise<void>((done) => (endedResolve = done));
    const subscription = test.client.subscribe(
      'terminal.vnc',
      { uri: systemUri, name: vncGuest, carrier },
      {
        next(event) {
          events.push(event);
          if (carrier === 'websocket' || events.length >= 2) resolve({ events, unsubscribe: () => subscription.unsubscribe(), ended });
        },
        error: reject,
        end: endedResolve,
      },
    );
  });
}

describe('VNC bridge', () => {
  beforeAll(() => defineAndStartGuest({ name: vncGuest, vnc: true }));

  it('carries the display over the RPC stream, starting with the RFB greeting', async () => {
    const { events, unsubscribe } = await firstVncEvents('rpc');
    const ready = events[0];
    expect(ready).toMatchObject({ type: 'ready', display: expect.stringMatching(/^127\.0\.0\.1:59\d\d$/) });
    const data = events[1];
    expect(data?.type === 'data' && Buffer.from(data.data, 'base64').toString('latin1')).toMatch(/^RFB 003\.00\d\n/);
    expect(virshCli('domdisplay', vncGuest).trim()).toBe(`vnc://127.0.0.1:${Number(ready?.type === 'ready' && ready.display.split(':')[1]) - 5900}`);
    if (ready?.type === 'ready') {
      // The client speaks RFB back through terminal.vncInput.
      await test.client.call('terminal.vncInput', { session: ready.session, data: Buffer.from('RFB 003.008\n').toString('base64') });
    }
    unsubscribe();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(test.backend.vnc.connections).toBe(0);
  });

  it('hands the display to a WebSocket by a one-time ticket', async () => {
    const { events, unsubscribe, ended } = await firstVncEvents('websocket');
    const ready = events[0];
    if (ready?.type !== 'ready' || !ready.webSocketPath) throw new Error(`expected a ready event with a path, got ${JSON.stringify(ready)}`);
    const ticket = new URL(ready.webSocketPath, 'http://localhost').searchParams.get('ticket')!;
    const socket = test.backend.vnc.claim(ticket);
    expect(socket).toBeDefined();
    expect(test.backend.vnc.claim(ticket)).toBeUndefined();
    socket!.resume();
    const greeting = await new Promise<string>((resolve) => socket!.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))));
    expect(greeting).toMatch(/^RFB 003\.00\d\n/);
    socket!.destroy();
    await ended;
    unsubscribe();
  });

  it('refuses a VM without a running display', async () => {
    virshCli('destroy', vncGuest);
    const error = await firstVncEvents('rpc').then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toMatchObject({ code: 'CONFLICT' });
  });
});
