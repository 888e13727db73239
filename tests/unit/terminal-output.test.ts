// Terminal output batching (time and size, whole characters only), UTF-8 decoding across chunk boundaries, flow
// control watermarks, and a session holding output until its stream attaches.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TerminalEvent } from '@shared/terminal-types';
import { createFlowControl } from '../../electron/backend/terminal/flow-control';
import { createOutputBatcher, createUtf8Decoder } from '../../electron/backend/terminal/output-batcher';
import { createSession } from '../../electron/backend/terminal/session';
import type { SourceExit, TerminalSource } from '../../electron/backend/terminal/terminal-source';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('output batcher', () => {
  it('sends what arrived within 16 ms as one batch', () => {
    const batches: string[] = [];
    const batcher = createOutputBatcher((text) => batches.push(text));
    batcher.push('a');
    batcher.push('b');
    vi.advanceTimersByTime(15);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual(['ab']);
    batcher.push('c');
    vi.advanceTimersByTime(16);
    expect(batches).toEqual(['ab', 'c']);
  });

  it('sends at once past 200 KB, never cutting a pushed string', () => {
    const batches: string[] = [];
    const batcher = createOutputBatcher((text) => batches.push(text));
    const chunk = '😀'.repeat(40_000); // 80,000 UTF-16 units, surrogate pairs throughout
    batcher.push(chunk);
    batcher.push(chunk);
    expect(batches).toEqual([]);
    batcher.push(chunk);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toBe(chunk.repeat(3));
    expect([...batches[0]!].every((character) => character === '😀')).toBe(true);
  });

  it('drops what is gathered once disposed', () => {
    const batches: string[] = [];
    const batcher = createOutputBatcher((text) => batches.push(text));
    batcher.push('lost');
    batcher.dispose();
    batcher.push('after');
    vi.advanceTimersByTime(100);
    expect(batches).toEqual([]);
  });
});

describe('UTF-8 decoder', () => {
  it('holds back a character cut between chunks at every byte boundary', () => {
    const text = 'aé€😀z';
    const bytes = Buffer.from(text, 'utf8');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const decoder = createUtf8Decoder();
      const first = decoder.write(bytes.subarray(0, cut));
      const second = decoder.write(bytes.subarray(cut));
      expect(first + second + decoder.end()).toBe(text);
      expect(first).not.toContain('\ufffd');
    }
  });

  it('decodes one byte at a time', () => {
    const text = '日本語 ✓ 😀';
    const decoder = createUtf8Decoder();
    let out = '';
    for (const byte of Buffer.from(text, 'utf8')) out += decoder.write(Buffer.from([byte]));
    expect(out + decoder.end()).toBe(text);
  });
});

describe('flow control', () => {
  it('pauses above the high watermark and resumes below the low one', () => {
    const source = { pause: vi.fn(), resume: vi.fn() };
    const flow = createFlowControl(source, { highWatermark: 100, lowWatermark: 10 });
    flow.produced(100);
    expect(source.pause).not.toHaveBeenCalled();
    flow.produced(1);
    expect(source.pause).toHaveBeenCalledTimes(1);
    flow.produced(50);
    expect(source.pause).toHaveBeenCalledTimes(1);
    flow.acknowledged(100);
    expect(flow.unacknowledged).toBe(51);
    expect(source.resume).not.toHaveBeenCalled();
    flow.acknowledged(42);
    expect(source.resume).toHaveBeenCalledTimes(1);
    expect(flow.paused).toBe(false);
  });

  it('cannot be acknowledged below zero', () => {
    const source = { pause: vi.fn(), resume: vi.fn() };
    const flow = createFlowControl(source, { highWatermark: 100, lowWatermark: 10 });
    flow.acknowledged(1_000_000);
    flow.produced(101);
    expect(source.pause).toHaveBeenCalledTimes(1);
  });
});

function fakeSource() {
  let onData: (text: string) => void = () => undefined;
  let onExit: (exit: SourceExit) => void = () => undefined;
  const source: TerminalSource & { paused: boolean; closed: boolean } = {
    paused: false,
    closed: false,
    write: vi.fn(),
    resize: vi.fn(async () => undefined),
    pause() {
      this.paused = true;
    },
    resume() {
      this.paused = false;
    },
    close() {
      this.closed = true;
    },
    onData: (listener) => void (onData = listener),
    onExit: (listener) => void (onExit = listener),
  };
  return { source, emit: (text: string) => onData(text), exit: (exit: SourceExit) => onExit(exit) };
}

function sinkOf(events: TerminalEvent[]) {
  return { next: (event: TerminalEvent) => events.push(event), end: vi.fn(), error: vi.fn() };
}

describe('session', () => {
  const info = { id: 'session-id-0123456789', target: { kind: 'host-shell' as const }, title: 'Shell', command: 'sh' };

  it('keeps output and the exit until the stream attaches, then ends', () => {
    const { source, emit, exit } = fakeSource();
    const onEnded = vi.fn();
    const session = createSession({ info, owner: 'c', source, onEnded });
    emit('hello ');
    emit('world');
    exit({ message: 'sh exited with code 0.', exitCode: 0, canReopen: true });
    const events: TerminalEvent[] = [];
    const sink = sinkOf(events);
    session.attach(sink, new AbortController().signal);
    expect(events).toEqual([
      { type: 'data', data: 'hello world' },
      { type: 'exit', message: 'sh exited with code 0.', exitCode: 0, canReopen: true },
    ]);
    expect(sink.end).toHaveBeenCalled();
    expect(onEnded).toHaveBeenCalledTimes(1);
  });

  it('pauses its source while the renderer has not drawn the output, and closes it with the stream', () => {
    const { source, emit } = fakeSource();
    const session = createSession({ info, owner: 'c', source, watermarks: { highWatermark: 1000, lowWatermark: 100 }, onEnded: vi.fn() });
    const events: TerminalEvent[] = [];
    const stream = new AbortController();
    session.attach(sinkOf(events), stream.signal);
    emit('x'.repeat(600));
    emit('x'.repeat(600));
    expect(source.paused).toBe(true);
    // Sent at once: nothing more comes while paused, so waiting out the batch interval would only stall.
    expect(events).toEqual([{ type: 'data', data: 'x'.repeat(1200) }]);
    session.acknowledge(1150);
    expect(source.paused).toBe(false);
    stream.abort();
    expect(source.closed).toBe(true);
  });
});
