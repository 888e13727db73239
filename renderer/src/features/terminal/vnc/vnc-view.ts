// One VNC console tab's life outside React: the `terminal.vnc` subscription (the backend connects to the VM's own
// display), noVNC's RFB client over a WebSocket (web mode) or the RPC stream (Electron), key combos and scaling.
// Never imports node:*, electron or backend code.
import RFB from '@novnc/novnc';
import { AppError } from '@shared/errors';
import type { Subscription } from '@shared/rpc-client';
import { bridgeName } from '@shared/rpc-protocol';
import type { VncCarrier } from '@shared/terminal-types';
import { rpc } from '../../../api';
import { StatusStore } from '../status-store';
import { RpcVncChannel } from './rpc-channel';

export type VncStatus =
  | { state: 'connecting' }
  | { state: 'connected'; display: string }
  | { state: 'disconnected'; message: string }
  | { state: 'failed'; error: AppError };

/** X11 keysyms (keysymdef.h) for the combos the menu sends. */
export const keysyms = {
  Control_L: 0xffe3,
  Alt_L: 0xffe9,
  Super_L: 0xffeb,
  Delete: 0xffff,
  BackSpace: 0xff08,
  Tab: 0xff09,
  Escape: 0xff1b,
  Print: 0xff61,
  F1: 0xffbe,
} as const;

/** The Electron window has the preload's bridge and no HTTP server: its bytes go over the RPC stream. */
function carrier(): VncCarrier {
  return (window as unknown as Record<string, unknown>)[bridgeName] ? 'rpc' : 'websocket';
}

export class VncView {
  readonly element = document.createElement('div');
  private rfb: RFB | undefined;
  private stream: Subscription | undefined;
  /** Connecting, connected, disconnected or failed (and the scaling switch): the pane shows them. */
  readonly state = new StatusStore<VncStatus>({ state: 'connecting' });
  private scale = true;

  constructor(
    readonly uri: string,
    readonly name: string,
  ) {
    this.element.style.cssText = 'width:100%;height:100%;overflow:auto';
    this.element.dataset.testid = 'vnc-screen';
  }

  get scaled(): boolean {
    return this.scale;
  }

  mount(container: HTMLElement): void {
    container.appendChild(this.element);
    if (!this.stream && this.state.get().state === 'connecting') this.connect();
  }

  unmount(): void {
    this.element.remove();
  }

  private connect(): void {
    this.state.set({ state: 'connecting' });
    let channel: RpcVncChannel | undefined;
    this.stream = rpc.subscribe(
      'terminal.vnc',
      { uri: this.uri, name: this.name, carrier: carrier() },
      {
        next: (event) => {
          if (event.type === 'data') {
            channel?.received(event.data);
            return;
          }
          if (event.webSocketPath) {
            const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
            this.start(`${scheme}//${window.location.host}${event.webSocketPath}`, event.display);
          } else {
            channel = new RpcVncChannel(
              (data) => rpc.call('terminal.vncInput', { session: event.session, data }),
              () => this.stream?.unsubscribe(),
            );
            this.start(channel, event.display);
            channel.opened();
          }
        },
        error: (error) => {
          channel?.closed(error.message, false);
          this.state.set({ state: 'failed', error });
        },
        end: () => channel?.closed('The VM display closed the connection', true),
      },
    );
  }

  private start(urlOrChannel: string | RpcVncChannel, display: string): void {
    const rfb = new RFB(this.element, urlOrChannel, { shared: true });
    rfb.scaleViewport = this.scale;
    rfb.background = '#1a1b1e';
    rfb.addEventListener('connect', () => this.state.set({ state: 'connected', display }));
    rfb.addEventListener('disconnect', () => {
      this.rfb = undefined;
      if (this.state.get().state !== 'failed') this.state.set({ state: 'disconnected', message: 'The console connection ended (the VM stopped, or its display closed).' });
    });
    rfb.addEventListener('credentialsrequired', () => {
      rfb.disconnect();
      this.state.set({
        state: 'failed',
        error: new AppError('PERMISSION_DENIED', 'The VM display asks for a password, which Isolab does not support yet', {
          fix: { text: 'Remove the password from the VM\'s VNC display, or use the serial console.' },
        }),
      });
    });
    this.rfb = rfb;
  }

  setScaled(scale: boolean): void {
    this.scale = scale;
    if (this.rfb) this.rfb.scaleViewport = scale;
    this.state.notify();
  }

  sendCtrlAltDel(): void {
    this.rfb?.sendCtrlAltDel();
  }

  /** Presses the keys in order and releases them in reverse, like a person would. */
  sendCombo(keys: number[]): void {
    const rfb = this.rfb;
    if (!rfb) return;
    for (const key of keys) rfb.sendKey(key, null, true);
    for (const key of [...keys].reverse()) rfb.sendKey(key, null, false);
    rfb.focus();
  }

  reconnect(): void {
    this.rfb?.disconnect();
    this.rfb = undefined;
    this.stream?.unsubscribe();
    this.stream = undefined;
    this.element.replaceChildren();
    this.connect();
  }

  dispose(): void {
    this.rfb?.disconnect();
    this.stream?.unsubscribe();
    this.unmount();
    this.state.clear();
  }
}
