// What a terminal session runs on: a pty process, a Docker exec or attach connection. Each kind implements this
// shape, so batching, flow control and disposal live in one place (session.ts). Plain Node; never imports electron.
import type { Pausable } from './flow-control';

export interface SourceExit {
  /** What ended, for the user: "bash exited with code 0", "The container stopped". */
  message: string;
  exitCode?: number;
  /** Opening the same target again may work. */
  canReopen: boolean;
}

export interface TerminalSource extends Pausable {
  write(data: string): void;
  /** The view's size in character cells. */
  resize(cols: number, rows: number): Promise<void>;
  /** Ends the process or connection; `onExit` still follows. Idempotent. */
  close(): void;
  /** Registered once, before any output can be lost. */
  onData(listener: (text: string) => void): void;
  onExit(listener: (exit: SourceExit) => void): void;
}
