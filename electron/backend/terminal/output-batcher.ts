// Gathers a session's output into batches (about every 16 ms, or at once past 200 KB) so a flood becomes a few
// messages a frame instead of thousands; decodes bytes without splitting a UTF-8 character. Plain Node; never imports electron.
import { StringDecoder } from 'node:string_decoder';

export interface OutputBatcherOptions {
  /** How long output is gathered before it is sent. */
  intervalMs: number;
  /** Gathered text at which a batch is sent at once, in characters. */
  maxChars: number;
}

export const defaultBatching: OutputBatcherOptions = { intervalMs: 16, maxChars: 200 * 1024 };

export interface OutputBatcher {
  /** Text that is whole characters already (node-pty decodes its own output). */
  push(text: string): void;
  /** Sends what is gathered now, if anything. */
  flush(): void;
  /** Drops what is gathered and stops the timer. */
  dispose(): void;
}

/** Batches are joined from whole pushed strings, never cut, so no character (or surrogate pair) is split. */
export function createOutputBatcher(deliver: (text: string) => void, options: OutputBatcherOptions = defaultBatching): OutputBatcher {
  let parts: string[] = [];
  let chars = 0;
  let timer: NodeJS.Timeout | undefined;
  let disposed = false;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (chars === 0) return;
    const text = parts.join('');
    parts = [];
    chars = 0;
    deliver(text);
  };

  return {
    push(text) {
      if (disposed || text.length === 0) return;
      parts.push(text);
      chars += text.length;
      if (chars >= options.maxChars) flush();
      else timer ??= setTimeout(flush, options.intervalMs);
    },
    flush,
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      parts = [];
      chars = 0;
    },
  };
}

/**
 * Bytes to text for sources that give Buffers (a Docker exec stream): a character cut between two chunks is
 * held back until its last byte arrives. `end()` returns what is left (an incomplete character as U+FFFD).
 */
export function createUtf8Decoder(): { write(bytes: Buffer): string; end(): string } {
  const decoder = new StringDecoder('utf8');
  return { write: (bytes) => decoder.write(bytes), end: () => decoder.end() };
}
