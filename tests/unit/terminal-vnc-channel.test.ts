// The WebSocket-shaped channel noVNC uses in the Electron window: bytes out as base64 through the RPC call, bytes
// in from the stream's base64, and the open/close events noVNC waits for.
import { describe, expect, it, vi } from 'vitest';
import { RpcVncChannel } from '../../renderer/src/features/terminal/vnc/rpc-channel';

describe('RPC VNC channel', () => {
  it('opens, carries bytes both ways as base64, and closes once', async () => {
    const sent: string[] = [];
    const stop = vi.fn();
    const channel = new RpcVncChannel(async (data) => void sent.push(data), stop);
    const received: ArrayBuffer[] = [];
    const onopen = vi.fn();
    const onclose = vi.fn();
    channel.onopen = onopen;
    channel.onmessage = (event: { data: ArrayBuffer }) => received.push(event.data);
    channel.onclose = onclose;

    channel.send(new Uint8Array([1, 2, 3]));
    expect(sent).toEqual([]);
    channel.opened();
    expect(onopen).toHaveBeenCalledTimes(1);
    expect(channel.readyState).toBe(1);

    channel.received(Buffer.from('RFB 003.008\n').toString('base64'));
    expect(Buffer.from(received[0]!).toString()).toBe('RFB 003.008\n');
    const big = new Uint8Array(200_000).map((_, index) => index % 256);
    channel.send(big);
    channel.send(new Uint8Array([0xff, 0x00]).buffer);
    expect(Buffer.from(sent[0]!, 'base64')).toEqual(Buffer.from(big));
    expect(sent[1]).toBe('/wA=');

    channel.close();
    channel.close();
    expect(stop).toHaveBeenCalledTimes(1);
    expect(onclose).toHaveBeenCalledTimes(1);
    expect(onclose.mock.calls[0]![0]).toMatchObject({ wasClean: true });
    channel.received('AAAA');
    expect(received).toHaveLength(1);
  });

  it('reports an unclean end as an error and a close', () => {
    const channel = new RpcVncChannel(async () => undefined, vi.fn());
    const onerror = vi.fn();
    const onclose = vi.fn();
    channel.onerror = onerror;
    channel.onclose = onclose;
    channel.opened();
    channel.closed('The VM display closed the connection', false);
    expect(onerror).toHaveBeenCalledTimes(1);
    expect(onclose.mock.calls[0]![0]).toMatchObject({ code: 1006, wasClean: false });
  });
});
