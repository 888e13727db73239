// Log demultiplexing and batching: framed stdout/stderr, frames and characters split across chunks, TTY streams,
// timestamps, the last line without a newline, and batches by time and by count.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogLine } from '@shared/docker-types';
import { createLineBatcher, createLogDecoder, maxLineChars } from '../../electron/backend/docker/container-log-lines';

/** One frame of the engine's multiplexed stream: type (1 stdout, 2 stderr), three zero bytes, big-endian length. */
function frame(type: 1 | 2, text: string | Buffer): Buffer {
  const payload = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('createLogDecoder', () => {
  it('marks stdout and stderr lines from the multiplexed stream', () => {
    const decoder = createLogDecoder({ tty: false, timestamps: false });
    const lines = decoder.push(Buffer.concat([frame(1, 'out one\nout two\n'), frame(2, 'err one\n')]));
    expect(lines).toEqual<LogLine[]>([
      { stream: 'stdout', text: 'out one' },
      { stream: 'stdout', text: 'out two' },
      { stream: 'stderr', text: 'err one' },
    ]);
    expect(decoder.end()).toEqual([]);
  });

  it('keeps a multi-byte character whole when a frame and the character are split across chunks', () => {
    const decoder = createLogDecoder({ tty: false, timestamps: false });
    const text = Buffer.from('prix: 5 €\n', 'utf8');
    const euro = text.indexOf(Buffer.from('€', 'utf8'));
    // The character's first byte in one frame, the rest in the next; the second frame arrives byte by byte.
    const bytes = Buffer.concat([frame(1, text.subarray(0, euro + 1)), frame(1, text.subarray(euro + 1))]);
    const lines: LogLine[] = [];
    const cut = 8 + euro + 1 + 3;
    lines.push(...decoder.push(bytes.subarray(0, cut)));
    expect(lines).toEqual([]);
    for (let index = cut; index < bytes.length; index++) lines.push(...decoder.push(bytes.subarray(index, index + 1)));
    expect(lines).toEqual([{ stream: 'stdout', text: 'prix: 5 €' }]);
  });

  it('keeps stdout and stderr partial lines apart', () => {
    const decoder = createLogDecoder({ tty: false, timestamps: false });
    expect(decoder.push(Buffer.concat([frame(1, 'half of '), frame(2, 'an error\n'), frame(1, 'a line\n')]))).toEqual([
      { stream: 'stderr', text: 'an error' },
      { stream: 'stdout', text: 'half of a line' },
    ]);
  });

  it('reads a TTY stream as stdout, drops the carriage return, and gives the unfinished last line at the end', () => {
    const decoder = createLogDecoder({ tty: true, timestamps: false });
    const euro = Buffer.from('€', 'utf8');
    expect(decoder.push(Buffer.concat([Buffer.from('one\r\ntwo '), euro.subarray(0, 2)]))).toEqual([{ stream: 'stdout', text: 'one' }]);
    expect(decoder.push(euro.subarray(2))).toEqual([]);
    expect(decoder.end()).toEqual([{ stream: 'stdout', text: 'two €' }]);
  });

  it('splits the timestamp off each line', () => {
    const decoder = createLogDecoder({ tty: false, timestamps: true });
    expect(decoder.push(frame(2, '2026-11-25T22:01:53.026425161Z something failed\n2026-11-25T22:01:54.5Z \n'))).toEqual([
      { stream: 'stderr', time: '2026-11-25T22:01:53.026425161Z', text: 'something failed' },
      { stream: 'stderr', time: '2026-11-25T22:01:54.5Z', text: '' },
    ]);
  });

  it('passes a line without end on in pieces', () => {
    const decoder = createLogDecoder({ tty: true, timestamps: false });
    const lines = decoder.push(Buffer.from('x'.repeat(maxLineChars * 2 + 10)));
    expect(lines.map((line) => line.text.length)).toEqual([maxLineChars, maxLineChars]);
    expect(decoder.end()).toEqual([{ stream: 'stdout', text: 'x'.repeat(10) }]);
  });
});

describe('createLineBatcher', () => {
  afterEach(() => vi.useRealTimers());
  const line = (text: string): LogLine => ({ stream: 'stdout', text });

  it('sends what arrived within one interval as one batch', () => {
    vi.useFakeTimers();
    const sent: LogLine[][] = [];
    const batcher = createLineBatcher((lines) => sent.push(lines), { intervalMs: 50, maxLines: 1000 });
    batcher.add([line('a')]);
    vi.advanceTimersByTime(20);
    batcher.add([line('b'), line('c')]);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(30);
    expect(sent).toEqual([[line('a'), line('b'), line('c')]]);
    batcher.add([line('d')]);
    vi.advanceTimersByTime(50);
    expect(sent).toEqual([[line('a'), line('b'), line('c')], [line('d')]]);
  });

  it('sends full batches at once when many lines arrive, and the rest on time or when taken', () => {
    vi.useFakeTimers();
    const sent: LogLine[][] = [];
    const batcher = createLineBatcher((lines) => sent.push(lines), { intervalMs: 50, maxLines: 3 });
    batcher.add(['1', '2', '3', '4', '5', '6', '7'].map(line));
    expect(sent.map((batch) => batch.map((entry) => entry.text))).toEqual([['1', '2', '3'], ['4', '5', '6']]);
    expect(batcher.take().map((entry) => entry.text)).toEqual(['7']);
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(2);
  });

  it('sends nothing after it is disposed', () => {
    vi.useFakeTimers();
    const sent: LogLine[][] = [];
    const batcher = createLineBatcher((lines) => sent.push(lines));
    batcher.add([line('late')]);
    batcher.dispose();
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([]);
  });
});
