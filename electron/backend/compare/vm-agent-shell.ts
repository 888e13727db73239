// Runs a script in a VM's guest through qemu-guest-agent: `guest-exec` of `sh -c SCRIPT` with its output captured,
// polled with `guest-exec-status`; a run that times out is killed in the guest. Plain Node; never imports electron.
import { AppError } from '@shared/errors';
import { abortableSleep } from '../abortable-sleep';
import { messageOf } from '../app-errors';
import { VirshError, type Virsh } from '../libvirt/virsh';
import type { ShellRun, ShellRunOptions, SubjectShell } from './subject-shell';
import { virshCommandLine, vmNotRunning, type VmRef } from './vm-shell-support';

/** How long the agent gets to answer one command, in seconds (virsh's own --timeout). */
const agentReplySeconds = 10;
/**
 * Polls of guest-exec-status start quick (most probes end in milliseconds) and slow down to this: each poll is a
 * virsh process (tens of ms), and a longer pause overshoots the end of a short script (bench/compare.bench.ts).
 */
const slowestPollMs = 50;

export type AgentCommand = { execute: string; arguments?: Record<string, unknown> };

export function execCommand(script: string): AgentCommand {
  return { execute: 'guest-exec', arguments: { path: '/bin/sh', arg: ['-c', script], 'capture-output': true } };
}

export function execStatusCommand(pid: number): AgentCommand {
  return { execute: 'guest-exec-status', arguments: { pid } };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The `return` member of what `virsh qemu-agent-command` printed. */
export function agentReturn(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AppError('INTERNAL', 'The guest agent answered with something that is not JSON', { detail: `${messageOf(error)}\n${text.slice(0, 400)}` });
  }
  const returned = record(record(parsed)?.return);
  if (!returned) throw new AppError('INTERNAL', 'The guest agent answered without a result', { detail: text.slice(0, 400) });
  return returned;
}

/** Why the agent cannot run scripts, from `guest-info`; undefined when guest-exec and guest-exec-status are enabled. */
export function execUnsupportedReason(guestInfo: Record<string, unknown>): string | undefined {
  const commands = Array.isArray(guestInfo.supported_commands) ? guestInfo.supported_commands.map(record) : [];
  for (const name of ['guest-exec', 'guest-exec-status']) {
    const command = commands.find((entry) => entry?.name === name);
    if (!command) return `the guest agent${typeof guestInfo.version === 'string' ? ` ${guestInfo.version}` : ''} has no ${name} command`;
    if (command.enabled === false) return `${name} is disabled in the guest agent's configuration`;
  }
  return undefined;
}

export interface ExecStatus {
  exited: boolean;
  /** The exit code, or 128+N when signal N ended the process (what a shell would report). */
  exitCode: number;
  stdout: string;
  stderr: string;
  truncated: boolean;
}

function decoded(value: unknown): string {
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : '';
}

export function parseExecStatus(returned: Record<string, unknown>): ExecStatus {
  const signal = typeof returned.signal === 'number' ? returned.signal : undefined;
  const code = typeof returned.exitcode === 'number' ? returned.exitcode : 0;
  return {
    exited: returned.exited === true,
    exitCode: signal === undefined ? code : 128 + signal,
    stdout: decoded(returned['out-data']),
    stderr: decoded(returned['err-data']),
    truncated: returned['out-truncated'] === true || returned['err-truncated'] === true,
  };
}

/** Kills `pid` and every process below it: stopped level by level first (so none forks away), then SIGKILL. */
export function killTreeScript(pid: number): string {
  return [
    `level=${pid}; all=`,
    'while [ -n "$level" ]; do',
    '  kill -STOP $level 2>/dev/null; all="$all $level"; next=',
    '  for p in $level; do next="$next $(cat /proc/$p/task/*/children 2>/dev/null)"; done',
    '  level=$(echo $next)',
    'done',
    'kill -9 $all 2>/dev/null',
    'echo $all',
  ].join('\n');
}

/** Calls the guest agent through virsh and returns its result. */
export async function agentCall(
  virsh: Virsh,
  vm: VmRef,
  command: AgentCommand,
  options: { replySeconds?: number; signal?: AbortSignal | undefined } = {},
): Promise<Record<string, unknown>> {
  const replySeconds = options.replySeconds ?? agentReplySeconds;
  const args = ['qemu-agent-command', '--domain', vm.name, '--timeout', String(replySeconds), '--cmd', JSON.stringify(command)];
  try {
    return agentReturn(await virsh.run(vm.uri, args, { timeoutMs: (replySeconds + 5) * 1000, ...(options.signal ? { signal: options.signal } : {}) }));
  } catch (error) {
    if (error instanceof VirshError && error.failure.kind === 'wrong-state') throw vmNotRunning(vm);
    throw error;
  }
}

function agentCommandLine(vm: VmRef, json: string): string {
  return virshCommandLine(vm, 'qemu-agent-command', vm.name, json);
}

/** The agent's shell. Output comes back only when the script ends (the agent buffers it), stdout and stderr apart. */
export function createAgentShell(virsh: Virsh, vm: VmRef): SubjectShell {
  async function stop(pid: number): Promise<string> {
    try {
      const started = await agentCall(virsh, vm, execCommand(killTreeScript(pid)));
      // Collect both processes' status: the agent keeps a finished process's status until it is read.
      await abortableSleep(200, new AbortController().signal);
      for (const target of [started.pid, pid]) {
        if (typeof target === 'number') await agentCall(virsh, vm, execStatusCommand(target)).catch(() => undefined);
      }
      return `Isolab killed it in the guest (kill -9 of process ${pid} and its children).`;
    } catch (error) {
      return `Isolab could not kill it in the guest (process ${pid}): ${messageOf(error)}`;
    }
  }

  async function run(script: string, options: ShellRunOptions): Promise<ShellRun> {
    const startedAt = Date.now();
    const deadline = startedAt + options.timeoutMs;
    const started = await agentCall(virsh, vm, execCommand(script), { signal: options.signal });
    const pid = started.pid;
    if (typeof pid !== 'number') throw new AppError('INTERNAL', 'guest-exec answered without a process id', { detail: JSON.stringify(started) });
    // Polls end at the deadline or when the caller gives up, not in the middle of a virsh call's reply.
    const polling = new AbortController();
    const timer = setTimeout(() => polling.abort(), Math.max(0, deadline - Date.now()));
    const onAbort = () => polling.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (let delay = 10; ; delay = Math.min(delay * 2, slowestPollMs)) {
        const status = parseExecStatus(await agentCall(virsh, vm, execStatusCommand(pid)));
        if (status.exited) {
          const durationMs = Date.now() - startedAt;
          if (status.stdout) options.onOutput?.(status.stdout);
          if (status.stderr) options.onOutput?.(status.stderr);
          const note = status.truncated ? '\n[the guest agent cut this output at its 16 MiB limit]' : '';
          return { stdout: status.stdout, stderr: status.stderr + note, exitCode: status.exitCode, startedAt, durationMs };
        }
        if (polling.signal.aborted) break;
        await abortableSleep(delay, polling.signal);
      }
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
    const stopped = await stop(pid);
    if (options.signal?.aborted) throw new AppError('UNAVAILABLE', `The run in ${vm.name} was cancelled. ${stopped}`);
    throw new AppError('TIMEOUT', `The script in ${vm.name} did not finish within ${options.timeoutMs / 1000} s. ${stopped}`, {
      detail: `guest-exec process ${pid}`,
    });
  }

  return {
    via: 'guest-agent',
    commandFor: (script) =>
      `${agentCommandLine(vm, JSON.stringify(execCommand(script)))}, then with the pid it returns: ` +
      `${agentCommandLine(vm, JSON.stringify(execStatusCommand(0)).replace('"pid":0', '"pid":PID'))} until "exited" is true (out-data and err-data are base64)`,
    run,
    close() {
      // Nothing held between runs: each run is its own agent commands.
    },
  };
}
