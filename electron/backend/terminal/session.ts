// One terminal session: its source's output batched and flow-controlled into the one `terminal.output` sink,
// kept until that sink attaches, and everything ended when the sink goes away. Plain Node; never imports electron.
import type { TerminalEvent, TerminalSession } from '@shared/terminal-types';
import type { StreamSink } from '../rpc-server';
import { createFlowControl, type FlowControl, type Watermarks } from './flow-control';
import { createOutputBatcher, defaultBatching, type OutputBatcherOptions } from './output-batcher';
import type { SourceExit, TerminalSource } from './terminal-source';

export interface SessionOptions {
  info: TerminalSession;
  /** The RPC client that opened it: only that client may use it. */
  owner: string;
  source: TerminalSource;
  batching?: OutputBatcherOptions;
  watermarks?: Watermarks;
  /** Called once the session has ended and released everything. */
  onEnded(session: Session): void;
}

export interface Session {
  readonly info: TerminalSession;
  readonly owner: string;
  readonly flow: FlowControl;
  /** The output stream; a session has one, and ends with it. */
  attach(sink: StreamSink<TerminalEvent>, signal: AbortSignal): void;
  readonly attached: boolean;
  input(data: string): void;
  resize(cols: number, rows: number): Promise<void>;
  acknowledge(chars: number): void;
  /** Ends the source; the sink gets the exit and ends. */
  close(): void;
}

export function createSession(options: SessionOptions): Session {
  const { info, owner, source } = options;
  // Events wait here until the output stream attaches; flow control bounds how much.
  const waiting: TerminalEvent[] = [];
  let sink: StreamSink<TerminalEvent> | undefined;
  let exited: SourceExit | undefined;
  let ended = false;
  const flow = createFlowControl(source, options.watermarks);

  const emit = (event: TerminalEvent) => {
    if (sink) sink.next(event);
    else waiting.push(event);
  };
  const batcher = createOutputBatcher((data) => emit({ type: 'data', data }), options.batching ?? defaultBatching);

  const end = () => {
    if (ended) return;
    ended = true;
    batcher.dispose();
    sink?.end();
    options.onEnded(session);
  };

  source.onData((text) => {
    flow.produced(text.length);
    batcher.push(text);
    // Nothing more comes until the renderer acknowledges: waiting out the batch interval would only stall the flow.
    if (flow.paused) batcher.flush();
  });
  source.onExit((exit) => {
    if (exited) return;
    exited = exit;
    batcher.flush();
    emit({ type: 'exit', message: exit.message, ...(exit.exitCode === undefined ? {} : { exitCode: exit.exitCode }), canReopen: exit.canReopen });
    if (sink) end();
  });

  const session: Session = {
    info,
    owner,
    flow,
    get attached() {
      return sink !== undefined;
    },
    attach(next, signal) {
      sink = next;
      for (const event of waiting.splice(0)) next.next(event);
      if (exited) {
        end();
        return;
      }
      signal.addEventListener(
        'abort',
        () => {
          sink = undefined;
          source.close();
          end();
        },
        { once: true },
      );
    },
    input(data) {
      if (!exited) source.write(data);
    },
    resize: (cols, rows) => (exited ? Promise.resolve() : source.resize(cols, rows)),
    acknowledge: (chars) => flow.acknowledged(chars),
    close() {
      source.close();
      if (!sink) end();
    },
  };
  return session;
}
