// The terminal sessions of every client: opens each kind (host shell, container exec or attach, VM serial console),
// finds a session only for the client that opened it, and ends sessions with their output stream. Plain Node; never imports electron.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '@shared/errors';
import type { TerminalEvent, TerminalSession, TerminalTarget } from '@shared/terminal-types';
import type { BackendConfig } from '../config';
import type { DockerAccess } from '../docker/docker-access';
import type { Virsh } from '../libvirt/virsh';
import type { RpcContext, StreamSink } from '../rpc-server';
import { openAttach, openExec } from './docker-sources';
import type { Watermarks } from './flow-control';
import type { OutputBatcherOptions } from './output-batcher';
import { signalName, startPty } from './pty-source';
import { createSession, type Session } from './session';
import type { SourceExit, TerminalSource } from './terminal-source';

export interface TerminalServiceOptions {
  config: BackendConfig;
  docker: DockerAccess;
  virsh: Virsh;
  /** How long an opened session waits for its output stream before it is ended. */
  attachTimeoutMs?: number;
  batching?: OutputBatcherOptions;
  watermarks?: Watermarks;
}

export interface OpenArgs {
  target: TerminalTarget;
  cols: number;
  rows: number;
}

export interface TerminalService {
  open(args: OpenArgs, context: RpcContext): Promise<TerminalSession>;
  output(id: string, sink: StreamSink<TerminalEvent>, context: RpcContext): void;
  input(id: string, data: string, context: RpcContext): void;
  resize(id: string, cols: number, rows: number, context: RpcContext): Promise<void>;
  acknowledge(id: string, chars: number, context: RpcContext): void;
  close(id: string, context: RpcContext): void;
  /** Sessions alive now (for leak checks). */
  readonly sessions: number;
  dispose(): void;
}

/** The escape key virsh console leaves on (Ctrl+]), as the user presses it. */
export const consoleEscapeKey = 'Ctrl+]';

/** `program` found on the configured search path, like the shell would; undefined when it is not installed. */
export function findProgram(program: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(':')) {
    const candidate = path.join(dir, program);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

function ptyEnv(config: BackendConfig, extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { ...config.env, TERM: 'xterm-256color', COLORTERM: 'truecolor', ...extra };
}

function describePtyExit(program: string, canReopen: boolean) {
  return (exitCode: number, signal: number): SourceExit => ({
    message: signal ? `${program} ended by ${signalName(signal)}.` : `${program} exited with code ${exitCode}.`,
    exitCode,
    canReopen,
  });
}

export function createTerminalService(options: TerminalServiceOptions): TerminalService {
  const { config } = options;
  const attachTimeoutMs = options.attachTimeoutMs ?? 30_000;
  const sessions = new Map<string, Session>();
  let disposed = false;

  function hostShell(args: OpenArgs): { source: TerminalSource; info: Omit<TerminalSession, 'id' | 'target'> } {
    // The session's own choices first (what a terminal emulator started from it would use), then the account's.
    const shell = config.env.SHELL || os.userInfo().shell || '/bin/sh';
    const home = config.env.HOME || config.identity.home;
    const source = startPty({
      file: shell,
      args: ['-l'],
      cwd: fs.existsSync(home) ? home : '/',
      env: ptyEnv(config, { HOME: home, SHELL: shell }),
      cols: args.cols,
      rows: args.rows,
      describeExit: describePtyExit(path.basename(shell), true),
    });
    return { source, info: { title: `Shell: ${config.identity.name}@${os.hostname()}`, command: `${shell} -l` } };
  }

  async function serialConsole(uri: string, name: string, args: OpenArgs, signal: AbortSignal) {
    const virsh = findProgram('virsh', config.programPath);
    if (!virsh) {
      throw new AppError('NOT_FOUND', 'virsh is not installed, so the serial console cannot open', {
        fix: { text: 'Install the libvirt client tools.', command: 'sudo apt install libvirt-clients' },
      });
    }
    const state = (await options.virsh.run(uri, ['domstate', '--domain', name], { signal })).trim();
    if (state !== 'running' && state !== 'paused' && state !== 'in shutdown') {
      throw new AppError('CONFLICT', `${name} is ${state}, so its serial console has nothing to show`, { fix: { text: 'Start the VM first.' } });
    }
    const consoleArgs = ['--connect', uri, 'console', '--domain', name, '--force'];
    const source = startPty({
      file: virsh,
      args: consoleArgs,
      cwd: '/',
      env: ptyEnv(config, { LC_ALL: 'C' }),
      cols: args.cols,
      rows: args.rows,
      describeExit: (exitCode) => ({ message: `The serial console of ${name} closed (virsh exited with code ${exitCode}).`, exitCode, canReopen: true }),
    });
    return {
      source,
      info: {
        title: `Serial: ${name}`,
        command: `virsh ${consoleArgs.join(' ')}`,
        notice: `Serial console of ${name} (${uri}). It stays connected across guest reboots; press ${consoleEscapeKey} to leave it.`,
      },
    };
  }

  async function start(args: OpenArgs, signal: AbortSignal) {
    const { target } = args;
    switch (target.kind) {
      case 'host-shell':
        return hostShell(args);
      case 'container-exec': {
        const opened = await openExec(options.docker, target, args.cols, args.rows, config.roots.proc);
        const program = opened.command.join(' ');
        return { source: opened.source, info: { title: `${opened.command[0]} in ${opened.name}`, command: `docker exec -it ${opened.name} ${program}` } };
      }
      case 'container-attach': {
        const opened = await openAttach(options.docker, target.id, args.cols, args.rows);
        return {
          source: opened.source,
          info: {
            title: `Attached: ${opened.name}`,
            command: opened.command.join(' '),
            notice: `Attached to the main process of ${opened.name}: ending it (exit, Ctrl+D) stops the container; closing this tab only detaches.`,
          },
        };
      }
      case 'vm-serial':
        return serialConsole(target.uri, target.name, args, signal);
    }
  }

  function owned(id: string, context: RpcContext): Session {
    const session = sessions.get(id);
    if (!session || session.owner !== context.client) {
      throw new AppError('NOT_FOUND', 'This terminal session has ended', { fix: { text: 'Open a new terminal.' } });
    }
    return session;
  }

  return {
    async open(args, context) {
      if (disposed) throw new AppError('UNAVAILABLE', 'Isolab is shutting down: no new terminals.');
      const { source, info } = await start(args, context.signal);
      const session = createSession({
        info: { id: randomBytes(18).toString('base64url'), target: args.target, ...info },
        owner: context.client,
        source,
        ...(options.batching ? { batching: options.batching } : {}),
        ...(options.watermarks ? { watermarks: options.watermarks } : {}),
        onEnded: (ended) => sessions.delete(ended.info.id),
      });
      sessions.set(session.info.id, session);
      // The client went away while the session started: nobody will read it.
      if (context.signal.aborted) session.close();
      const timer = setTimeout(() => {
        if (!session.attached) session.close();
      }, attachTimeoutMs);
      timer.unref();
      return session.info;
    },
    output(id, sink, context) {
      const session = owned(id, context);
      if (session.attached) throw new AppError('CONFLICT', 'This terminal session already has its output stream');
      session.attach(sink, context.signal);
    },
    input: (id, data, context) => owned(id, context).input(data),
    resize: (id, cols, rows, context) => owned(id, context).resize(cols, rows),
    acknowledge: (id, chars, context) => owned(id, context).acknowledge(chars),
    close: (id, context) => owned(id, context).close(),
    get sessions() {
      return sessions.size;
    },
    dispose() {
      disposed = true;
      for (const session of [...sessions.values()]) session.close();
    },
  };
}
