// Terminal sources over the Docker Engine API: an exec session with a TTY (resized right after start, since the
// engine starts it at 0x0) and an attach to a TTY container's main process. Plain Node; never imports electron.
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { AppError } from '@shared/errors';
import { containerLabel } from '../docker/containers';
import type { DockerAccess } from '../docker/docker-access';
import { createUtf8Decoder } from './output-batcher';
import { namespacePid, processTree } from './process-tree';
import type { SourceExit, TerminalSource } from './terminal-source';

/** Shells tried, in order, when the user names no command. */
export const defaultShells = ['bash', 'sh'];
const killAfterMs = 3000;

interface ContainerState {
  Running?: boolean;
  Paused?: boolean;
  Restarting?: boolean;
  ExitCode?: number;
}

interface ContainerFacts {
  Id: string;
  Name?: string;
  State?: ContainerState;
  Config?: { Tty?: boolean };
}

async function inspectContainer(container: Docker.Container): Promise<ContainerFacts> {
  return (await container.inspect()) as unknown as ContainerFacts;
}

/** The container's name without Docker's leading slash, for titles. */
export function containerName(facts: ContainerFacts, id: string): string {
  return facts.Name?.replace(/^\//, '') || containerLabel(id);
}

function requireRunning(facts: ContainerFacts, id: string, what: string): void {
  const state = facts.State ?? {};
  if (state.Paused) {
    throw new AppError('CONFLICT', `${what}: container ${containerLabel(id)} is paused`, { fix: { text: 'Resume the container first.' } });
  }
  if (!state.Running || state.Restarting) {
    throw new AppError('CONFLICT', `${what}: container ${containerLabel(id)} is not running`, { fix: { text: 'Start the container first.' } });
  }
}

/** Runs `program -c "exit 0"` without a terminal; exit code 0 means the container has it. */
async function hasProgram(container: Docker.Container, program: string): Promise<boolean> {
  const probe = await container.exec({ Cmd: [program, '-c', 'exit 0'], AttachStdout: true, AttachStderr: true });
  const stream = (await probe.start({ hijack: true, stdin: false })) as Duplex;
  stream.resume();
  await new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
  const result = (await probe.inspect()) as { ExitCode?: number | null };
  return result.ExitCode === 0;
}

async function firstShell(container: Docker.Container, id: string): Promise<string[]> {
  for (const shell of defaultShells) if (await hasProgram(container, shell)) return [shell];
  throw new AppError('NOT_FOUND', `Container ${containerLabel(id)} has neither ${defaultShells.join(' nor ')}`, {
    fix: { text: 'Name the program to run in the container (for example /busybox/sh), or use an image that has a shell.' },
  });
}

interface StreamSourceOptions {
  stream: Duplex;
  resize(cols: number, rows: number): Promise<void>;
  /** Ends what the session started; the stream then ends and `describeEnd` runs. */
  hangUp(): Promise<void>;
  describeEnd(): Promise<SourceExit>;
}

/** A TerminalSource over a hijacked Docker connection with a TTY: raw bytes both ways, no multiplexing. */
function streamSource(options: StreamSourceOptions): TerminalSource {
  const { stream } = options;
  const decoder = createUtf8Decoder();
  const dataListeners: ((text: string) => void)[] = [];
  const exitListeners: ((exit: SourceExit) => void)[] = [];
  let ended = false;
  let closing = false;

  const finish = () => {
    if (ended) return;
    ended = true;
    const rest = decoder.end();
    if (rest) for (const listener of dataListeners) listener(rest);
    void options
      .describeEnd()
      .catch((): SourceExit => ({ message: 'The connection to the container ended.', canReopen: true }))
      .then((exit) => {
        for (const listener of exitListeners) listener(exit);
      });
  };
  stream.on('data', (chunk: Buffer) => {
    const text = decoder.write(chunk);
    if (text) for (const listener of dataListeners) listener(text);
  });
  stream.once('end', finish);
  stream.once('close', finish);
  stream.once('error', finish);

  return {
    write(data) {
      if (!ended && !closing) stream.write(data);
    },
    async resize(cols, rows) {
      if (!ended && !closing) await options.resize(cols, rows);
    },
    pause: () => stream.pause(),
    resume: () => stream.resume(),
    close() {
      if (ended || closing) return;
      closing = true;
      stream.resume();
      void options.hangUp().finally(() => stream.destroy());
    },
    onData: (listener) => void dataListeners.push(listener),
    onExit: (listener) => void exitListeners.push(listener),
  };
}

export interface ExecTarget {
  id: string;
  command?: string[];
  user?: string;
  workdir?: string;
}

export interface OpenedSource {
  source: TerminalSource;
  /** The container's name, for the title. */
  name: string;
  command: string[];
}

/**
 * Sends `signal` to the exec's process and everything below it. Docker has no call to end an exec, and closing
 * its connection leaves the process running; from the host when allowed, else by `kill` inside the container.
 */
export async function signalExec(container: Docker.Container, hostPid: number, procRoot: string, signal: 'HUP' | 'KILL'): Promise<void> {
  const tree = await processTree(procRoot, hostPid);
  const refused: number[] = [];
  for (const pid of tree) {
    try {
      process.kill(pid, `SIG${signal}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EPERM') refused.push(pid);
    }
  }
  if (refused.length === 0) return;
  const inside = (await Promise.all(refused.map((pid) => namespacePid(procRoot, pid)))).filter((pid) => pid !== undefined);
  if (inside.length === 0) return;
  const kill = await container.exec({ Cmd: ['kill', `-${signal}`, ...inside.map(String)], User: '0' });
  await kill.start({ Detach: true });
}

export async function openExec(docker: DockerAccess, target: ExecTarget, cols: number, rows: number, procRoot: string): Promise<OpenedSource> {
  const action = `Opening a shell in container ${containerLabel(target.id)}`;
  return docker.withEngine(action, async (engine) => {
    const container = engine.getContainer(target.id);
    const facts = await inspectContainer(container);
    requireRunning(facts, target.id, action);
    const command = target.command ?? (await firstShell(container, target.id));
    const exec = await container.exec({
      Cmd: command,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      Env: ['TERM=xterm-256color', 'COLORTERM=truecolor'],
      ...(target.user ? { User: target.user } : {}),
      ...(target.workdir ? { WorkingDir: target.workdir } : {}),
    });
    const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
    const resize = async (width: number, height: number) => {
      await exec.resize({ w: width, h: height });
    };
    // The engine starts the exec's terminal at 0x0: programs would draw for no columns at all.
    await resize(cols, rows).catch(() => undefined);
    const hostPid = async () => ((await exec.inspect()) as { Pid?: number }).Pid ?? 0;
    const source = streamSource({
      stream,
      resize,
      async hangUp() {
        const pid = await hostPid().catch(() => 0);
        if (pid <= 0) return;
        await signalExec(container, pid, procRoot, 'HUP').catch(() => undefined);
        setTimeout(() => void signalExec(container, pid, procRoot, 'KILL').catch(() => undefined), killAfterMs).unref();
      },
      async describeEnd() {
        const result = (await exec.inspect()) as { ExitCode?: number | null };
        const state = (await inspectContainer(container).catch(() => undefined))?.State;
        const program = command[0] ?? 'The program';
        if (!state?.Running) return { message: `The container stopped, which ended ${program}.`, canReopen: true };
        if (result.ExitCode === 126 || result.ExitCode === 127) {
          return { message: `${program} could not be started in the container (exit code ${result.ExitCode}).`, exitCode: result.ExitCode, canReopen: true };
        }
        return {
          message: `${program} exited${typeof result.ExitCode === 'number' ? ` with code ${result.ExitCode}` : ''}.`,
          ...(typeof result.ExitCode === 'number' ? { exitCode: result.ExitCode } : {}),
          canReopen: true,
        };
      },
    });
    return { source, name: containerName(facts, target.id), command };
  });
}

export async function openAttach(docker: DockerAccess, id: string, cols: number, rows: number): Promise<OpenedSource> {
  const action = `Attaching to container ${containerLabel(id)}`;
  return docker.withEngine(action, async (engine) => {
    const container = engine.getContainer(id);
    const facts = await inspectContainer(container);
    requireRunning(facts, id, action);
    if (!facts.Config?.Tty) {
      throw new AppError('CONFLICT', `${action}: it was started without a terminal (TTY)`, {
        fix: { text: 'Open a shell in it instead (exec), or run the container with a terminal (docker run -t).' },
      });
    }
    const stream = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as Duplex;
    const resize = async (width: number, height: number) => {
      await container.resize({ w: width, h: height });
    };
    await resize(cols, rows).catch(() => undefined);
    const source = streamSource({
      stream,
      resize,
      // Closing an attach detaches: the container's main process keeps running.
      hangUp: async () => undefined,
      async describeEnd() {
        const state = (await inspectContainer(container).catch(() => undefined))?.State;
        if (state?.Running) return { message: 'Detached from the container; it is still running.', canReopen: true };
        return {
          message: `The container stopped${typeof state?.ExitCode === 'number' ? ` (exit code ${state.ExitCode})` : ''}.`,
          ...(typeof state?.ExitCode === 'number' ? { exitCode: state.ExitCode } : {}),
          canReopen: true,
        };
      },
    });
    return { source, name: containerName(facts, id), command: ['docker', 'attach', containerName(facts, id)] };
  });
}
