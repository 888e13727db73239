// A WebSocket-shaped channel over the RPC stream `terminal.vnc` (carrier 'rpc'), for the Electron window, which has
// no HTTP server to open a WebSocket to. noVNC takes it in place of a WebSocket. Never imports node:*, electron or backend code.
import type { RfbChannel } from '@novnc/novnc';

const states = { connecting: 0, open: 1, closing: 2, closed: 3 } as const;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): ArrayBuffer {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes.buffer;
}

export class RpcVncChannel implements RfbChannel {
  binaryType = 'arraybuffer';
  protocol = '';
  readyState: number = states.connecting;
  onopen: RfbChannel['onopen'] = null;
  onmessage: RfbChannel['onmessage'] = null;
  onclose: RfbChannel['onclose'] = null;
  onerror: RfbChannel['onerror'] = null;

  constructor(
    private readonly sendBytes: (base64: string) => Promise<void>,
    private readonly stop: () => void,
  ) {}

  /** The backend connected to the display: bytes can flow. */
  opened(): void {
    this.readyState = states.open;
    this.onopen?.(new Event('open'));
  }

  received(base64: string): void {
    if (this.readyState === states.open) this.onmessage?.({ data: fromBase64(base64) });
  }

  closed(reason: string, clean: boolean): void {
    if (this.readyState === states.closed) return;
    this.readyState = states.closed;
    if (!clean) this.onerror?.(new Event('error'));
    this.onclose?.({ code: clean ? 1000 : 1006, reason, wasClean: clean });
  }

  send(data: ArrayBuffer | Uint8Array): void {
    if (this.readyState !== states.open) return;
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
    this.sendBytes(toBase64(bytes)).catch(() => this.close());
  }

  close(): void {
    if (this.readyState === states.closed) return;
    this.stop();
    this.closed('Closed', true);
  }
}
