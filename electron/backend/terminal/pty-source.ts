// A terminal source that is a program in a pseudo-terminal (node-pty): the host shell and `virsh console`.
// Plain Node; never imports electron.
import { spawn, type IPty } from 'node-pty';
import type { SourceExit, TerminalSource } from './terminal-source';

export interface PtyLaunch {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  cols: number;
  rows: number;
  /** Words for the end: what exited, and whether opening it again may help. */
  describeExit(exitCode: number, signal: number): SourceExit;
}

/** How long a closed session's program gets to go after the hang-up before it is killed. */
const killAfterMs = 3000;

export function startPty(launch: PtyLaunch): TerminalSource {
  const pty: IPty = spawn(launch.file, launch.args, {
    name: 'xterm-256color',
    cols: launch.cols,
    rows: launch.rows,
    cwd: launch.cwd,
    env: launch.env,
  });
  let exited = false;
  let closing = false;
  let killTimer: NodeJS.Timeout | undefined;
  const exitListeners: ((exit: SourceExit) => void)[] = [];
  pty.onExit(({ exitCode, signal }) => {
    exited = true;
    if (killTimer) clearTimeout(killTimer);
    const exit = launch.describeExit(exitCode, signal ?? 0);
    for (const listener of exitListeners) listener(exit);
  });

  return {
    write(data) {
      if (!exited && !closing) pty.write(data);
    },
    async resize(cols, rows) {
      if (!exited && !closing) pty.resize(cols, rows);
    },
    pause: () => pty.pause(),
    resume: () => pty.resume(),
    close() {
      if (exited || closing) return;
      closing = true;
      // Closing the master hangs the terminal up: the kernel sends SIGHUP to the session and its foreground job.
      // node-pty's Unix terminal has destroy() (close the master, then SIGHUP); its typings leave it out.
      const unix = pty as IPty & { destroy?(): void };
      if (unix.destroy) unix.destroy();
      else pty.kill('SIGHUP');
      killTimer = setTimeout(() => pty.kill('SIGKILL'), killAfterMs);
      killTimer.unref();
    },
    onData: (listener) => void pty.onData(listener),
    onExit: (listener) => void exitListeners.push(listener),
  };
}

export function signalName(signal: number): string {
  const names: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 9: 'SIGKILL', 15: 'SIGTERM' };
  return names[signal] ?? `signal ${signal}`;
}
