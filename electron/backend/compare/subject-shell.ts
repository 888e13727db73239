// How the Compare lab runs a shell script in a subject (the host, a container, a VM's guest) and gets its output,
// exit code and timing back, the same way for all three. Plain Node; never imports electron.
import type { ProbeVia } from '@shared/compare-types';

export interface ShellRun {
  stdout: string;
  stderr: string;
  /** The script's exit status; 128+N when a signal N ended it. */
  exitCode: number;
  /** When it started (ms since the epoch) and how long it ran, as the backend measured it. */
  startedAt: number;
  durationMs: number;
}

export interface ShellRunOptions {
  /** The run fails with AppError TIMEOUT after this long; whatever it started is stopped. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Output as it arrives (stdout and stderr interleaved), for the experiments' visible terminals. */
  onOutput?(text: string): void;
}

export interface SubjectShell {
  readonly via: ProbeVia;
  /** The command line a user would type to run `script` the same way (shown next to every value, and exported). */
  commandFor(script: string): string;
  /** Runs `sh -c script` in the subject; runs are serialized per shell. */
  run(script: string, options: ShellRunOptions): Promise<ShellRun>;
  /** Lets go of whatever the shell holds (a console connection); later runs fail. */
  close(): void;
}

/** Runs tasks one after another in call order, whatever each one's outcome: one queue per shell. */
export function createRunQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>) => {
    const result = tail.then(task, task);
    tail = result.catch(() => undefined);
    return result;
  };
}
