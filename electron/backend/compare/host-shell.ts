// The Compare lab's shell on the host: `sh -c script` as a child process group (LC_ALL=C, child-run.ts), killed
// whole on timeout or abort. Plain Node; never imports electron.
import { quote } from 'shell-quote';
import { AppError } from '@shared/errors';
import { startChildRun } from './child-run';
import { createRunQueue, type ShellRun, type ShellRunOptions, type SubjectShell } from './subject-shell';

/** `env` is the environment the host's commands see (PATH included). */
export function createHostShell(env: NodeJS.ProcessEnv): SubjectShell {
  const queue = createRunQueue();
  let closed = false;

  async function runNow(script: string, options: ShellRunOptions): Promise<ShellRun> {
    if (closed) throw new AppError('UNAVAILABLE', 'The host shell was closed');
    if (options.signal?.aborted) throw new AppError('UNAVAILABLE', 'The run was cancelled');
    const child = startChildRun('sh', ['-c', script], { env: { ...env, LC_ALL: 'C' }, onOutput: options.onOutput });
    let failure: AppError | undefined;
    const stop = (why: AppError) => {
      failure = why;
      child.kill();
    };
    const timer = setTimeout(() => stop(new AppError('TIMEOUT', `The command on the host did not finish within ${options.timeoutMs / 1000} s`)), options.timeoutMs);
    const onAbort = () => stop(new AppError('UNAVAILABLE', 'The run was cancelled'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await child.ended.catch((error: unknown) => {
        throw new AppError('UNAVAILABLE', `sh could not run on the host: ${String(error)}`, { cause: error });
      });
      if (failure) throw new AppError(failure.code, failure.message, { detail: result.stdout.slice(-2000) || undefined });
      return result;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    via: 'host',
    commandFor: (script) => quote(['sh', '-c', script]),
    run: (script, options) => queue(() => runNow(script, options)),
    close() {
      closed = true;
    },
  };
}
