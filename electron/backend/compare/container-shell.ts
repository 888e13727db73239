// The Compare lab's shell in a container: `sh -c script` as a Docker exec without a TTY (stdout and stderr kept
// apart), its exit code from the exec's inspect; on timeout the exec's processes are killed. Never imports electron.
import { PassThrough, type Duplex } from 'node:stream';
import { quote } from 'shell-quote';
import { AppError } from '@shared/errors';
import { containerLabel } from '../docker/containers';
import type { DockerAccess } from '../docker/docker-access';
import { signalExec } from '../terminal/docker-sources';
import { createRunQueue, type ShellRun, type ShellRunOptions, type SubjectShell } from './subject-shell';

function collector(into: Buffer[], onOutput: ShellRunOptions['onOutput']): PassThrough {
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => {
    into.push(chunk);
    onOutput?.(chunk.toString('utf8'));
  });
  return sink;
}

/** `name` is what the user knows the container by (shown in the command line); `procRoot` is the host's /proc. */
export function createContainerShell(access: DockerAccess, id: string, name: string, procRoot: string): SubjectShell {
  const queue = createRunQueue();
  let closed = false;

  const runNow = (script: string, options: ShellRunOptions) =>
    access.withEngine(`Running a command in container ${containerLabel(name)}`, async (docker) => {
      if (closed) throw new AppError('UNAVAILABLE', 'The container shell was closed');
      const container = docker.getContainer(id);
      const startedAt = Date.now();
      const started = performance.now();
      const exec = await container.exec({ Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true, Env: ['LC_ALL=C'] });
      const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      docker.modem.demuxStream(stream, collector(stdout, options.onOutput), collector(stderr, options.onOutput));
      let failure: AppError | undefined;
      const stop = async (why: AppError) => {
        failure = why;
        const pid = ((await exec.inspect().catch(() => ({}))) as { Pid?: number }).Pid ?? 0;
        if (pid > 0) await signalExec(container, pid, procRoot, 'KILL').catch(() => undefined);
        stream.destroy();
      };
      const timer = setTimeout(
        () => void stop(new AppError('TIMEOUT', `The command in container ${containerLabel(name)} did not finish within ${options.timeoutMs / 1000} s`)),
        options.timeoutMs,
      );
      const onAbort = () => void stop(new AppError('UNAVAILABLE', 'The run was cancelled'));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await new Promise<void>((resolve) => {
          stream.once('end', resolve);
          stream.once('close', resolve);
          stream.once('error', () => resolve());
        });
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      }
      if (failure) throw failure;
      const result = (await exec.inspect()) as { ExitCode?: number | null };
      return {
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        exitCode: result.ExitCode ?? -1,
        startedAt,
        durationMs: performance.now() - started,
      } satisfies ShellRun;
    });

  return {
    via: 'docker-exec',
    commandFor: (script) => quote(['docker', 'exec', name, 'sh', '-c', script]),
    run: (script, options) => queue(() => runNow(script, options)),
    close() {
      closed = true;
    },
  };
}
