// One child process for a lab shell: its own process group (killed whole), stdout and stderr collected apart and
// passed on as they come, and its exit status (128+N for signal N). Plain Node; never imports electron.
import { spawn } from 'node:child_process';
import os from 'node:os';
import type { ShellRun } from './subject-shell';

export interface ChildRun {
  /** Resolves when the process has ended and its output is closed; rejects with spawn's error when it could not start. */
  ended: Promise<ShellRun>;
  /** SIGKILL to its whole process group (what it started goes too). */
  kill(): void;
}

export function startChildRun(program: string, args: string[], options: { env: NodeJS.ProcessEnv; onOutput?: ((text: string) => void) | undefined }): ChildRun {
  const startedAt = Date.now();
  const started = performance.now();
  const child = spawn(program, args, { env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const collect = (into: Buffer[]) => (chunk: Buffer) => {
    into.push(chunk);
    options.onOutput?.(chunk.toString('utf8'));
  };
  child.stdout.on('data', collect(stdout));
  child.stderr.on('data', collect(stderr));
  const ended = new Promise<ShellRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      resolve({
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        exitCode: code ?? 128 + (signal ? os.constants.signals[signal] : 0),
        startedAt,
        durationMs: performance.now() - started,
      });
    });
  });
  return {
    ended,
    kill() {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    },
  };
}
