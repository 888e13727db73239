// Turns a container's log response into lines: demultiplexes the engine's framed stdout/stderr stream (or takes
// a TTY container's raw stream as stdout), keeps multi-byte characters whole across chunks, splits off the
// timestamps, and batches lines for the wire. Pure Node (buffers, string decoding, timers); never imports electron.
import { StringDecoder } from 'node:string_decoder';
import type { LogLine } from '@shared/docker-types';

export interface LogDecoder {
  /** The lines completed by this chunk. */
  push(chunk: Buffer): LogLine[];
  /** The response ended: what is left, as lines. */
  end(): LogLine[];
}

/** A line longer than this is passed on in pieces, so a program that never prints a newline cannot grow memory. */
export const maxLineChars = 64 * 1024;
const headerBytes = 8;
// An RFC 3339 timestamp then one space: how the engine prefixes each line when timestamps are asked for.
const timestamped = /^(\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d)) ?/;

export function createLogDecoder(options: { tty: boolean; timestamps: boolean }): LogDecoder {
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  const partial = { stdout: '', stderr: '' };
  let frames: Buffer = Buffer.alloc(0);

  const line = (stream: LogLine['stream'], raw: string): LogLine => {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!options.timestamps) return { stream, text };
    const match = timestamped.exec(text);
    return match?.[1] ? { stream, time: match[1], text: text.slice(match[0].length) } : { stream, text };
  };

  const take = (stream: LogLine['stream'], text: string, into: LogLine[]) => {
    let pending = partial[stream] + text;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      into.push(line(stream, pending.slice(0, newline)));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
    while (pending.length > maxLineChars) {
      into.push(line(stream, pending.slice(0, maxLineChars)));
      pending = pending.slice(maxLineChars);
    }
    partial[stream] = pending;
  };

  return {
    push(chunk) {
      const lines: LogLine[] = [];
      if (options.tty) {
        take('stdout', decoders.stdout.write(chunk), lines);
        return lines;
      }
      frames = frames.length === 0 ? chunk : Buffer.concat([frames, chunk]);
      let offset = 0;
      while (frames.length - offset >= headerBytes) {
        const size = frames.readUInt32BE(offset + 4);
        if (frames.length - offset - headerBytes < size) break;
        // 1 is stdout, 2 is stderr; 0 (stdin) only appears for attached streams and reads as output.
        const stream = frames[offset] === 2 ? 'stderr' : 'stdout';
        const payload = frames.subarray(offset + headerBytes, offset + headerBytes + size);
        take(stream, decoders[stream].write(payload), lines);
        offset += headerBytes + size;
      }
      frames = frames.subarray(offset);
      return lines;
    },
    end() {
      const lines: LogLine[] = [];
      for (const stream of ['stdout', 'stderr'] as const) {
        take(stream, decoders[stream].end(), lines);
        if (partial[stream] !== '') lines.push(line(stream, partial[stream]));
        partial[stream] = '';
      }
      return lines;
    },
  };
}

export interface LineBatcher {
  add(lines: LogLine[]): void;
  /** Everything not yet sent, for the last event. */
  take(): LogLine[];
  dispose(): void;
}

/** Sends lines at most every `intervalMs`, or at once in groups of `maxLines` when many arrive together. */
export function createLineBatcher(send: (lines: LogLine[]) => void, options: { intervalMs?: number; maxLines?: number } = {}): LineBatcher {
  const intervalMs = options.intervalMs ?? 50;
  const maxLines = options.maxLines ?? 1000;
  let pending: LogLine[] = [];
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    timer = undefined;
    if (pending.length === 0) return;
    const lines = pending;
    pending = [];
    send(lines);
  };

  return {
    add(lines) {
      if (lines.length === 0) return;
      for (const line of lines) {
        pending.push(line);
        if (pending.length === maxLines) {
          const full = pending;
          pending = [];
          send(full);
        }
      }
      if (pending.length === 0) {
        if (timer) clearTimeout(timer);
        timer = undefined;
      } else {
        timer ??= setTimeout(flush, intervalMs);
      }
    },
    take() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      const lines = pending;
      pending = [];
      return lines;
    },
    dispose() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = [];
    },
  };
}
