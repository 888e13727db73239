// The Compare lab's shell on the host: `sh -c script` as a child process group (LC_ALL=C), killed whole on timeout
// or abort. Plain Node; never imports electron.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { quote } from 'shell-quote';
import { AppError } from '@shared/errors';
import { createRunQueue, type ShellRun, type ShellRunOptions, type SubjectShell } from './subject-shell';

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** `env` is the environment the host's commands see (PATH included). */
export function createHostShell(env: NodeJS.ProcessEnv): SubjectShell {
  const queue = createRunQueue();
  let closed = false;

  const runNow = (script: string, options: ShellRunOptions) =>
    new Promise<ShellRun>((resolve, reject) => {
      if (closed) return reject(new AppError('UNAVAILABLE', 'The host shell was closed'));
      if (options.signal?.aborted) return reject(new AppError('UNAVAILABLE', 'The run was cancelled'));
      const startedAt = Date.now();
      const started = performance.now();
      // Its own process group, so a timeout ends what the script started too (sleep, background jobs).
      const child = spawn('sh', ['-c', script], { env: { ...env, LC_ALL: 'C' }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let failure: AppError | undefined;
      const collect = (into: Buffer[]) => (chunk: Buffer) => {
        into.push(chunk);
        options.onOutput?.(chunk.toString('utf8'));
      };
      child.stdout.on('data', collect(stdout));
      child.stderr.on('data', collect(stderr));
      const timer = setTimeout(() => {
        failure = new AppError('TIMEOUT', `The command on the host did not finish within ${options.timeoutMs / 1000} s`, {
          detail: Buffer.concat(stdout).toString('utf8').slice(-2000) || undefined,
        });
        killGroup(child.pid);
      }, options.timeoutMs);
      const onAbort = () => {
        failure = new AppError('UNAVAILABLE', 'The run was cancelled');
        killGroup(child.pid);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.once('error', (error) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        reject(new AppError('UNAVAILABLE', `sh could not run on the host: ${error.message}`, { cause: error }));
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (failure) return reject(failure);
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
    via: 'host',
    commandFor: (script) => quote(['sh', '-c', script]),
    run: (script, options) => queue(() => runNow(script, options)),
    close() {
      closed = true;
    },
  };
}
