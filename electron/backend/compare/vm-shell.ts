// Opens a shell into a running VM's guest for the Compare lab: qemu-guest-agent when it answers, else the serial
// console's shell, else SSH when the user set it up; runs are serialized per shell. Plain Node; never imports electron.
import { AppError, isAppError } from '@shared/errors';
import type { VmSshConfig } from '@shared/vm-ssh-schemas';
import { messageOf } from '../app-errors';
import { parseDomainXml } from '../libvirt/domain-xml-read';
import type { Virsh } from '../libvirt/virsh';
import { createRunQueue, type SubjectShell } from './subject-shell';
import { agentCall, createAgentShell, execUnsupportedReason } from './vm-agent-shell';
import { createConsoleShell } from './vm-console-shell';
import { virshCommandLine, vmNotRunning, type VmRef } from './vm-shell-support';

export interface VmShellDeps {
  virsh: Virsh;
  /** The environment for the `virsh console` the serial path spawns in a pty (PATH finds virsh). */
  env: NodeJS.ProcessEnv;
  /** SSH into the guest, used when the user set it up for the VM and neither the agent nor the serial console can run commands. */
  ssh?: VmSshAccess;
}

export interface VmSshAccess {
  /** How to log in to the VM over SSH, when the user set that up. */
  config(vm: VmRef): Promise<VmSshConfig | undefined>;
  /** A shell that has logged in once; UNAVAILABLE in ssh's words when it cannot. */
  open(vm: VmRef, config: VmSshConfig, signal?: AbortSignal): Promise<SubjectShell>;
}

export interface VmShellOptions {
  signal?: AbortSignal;
  /** How long the serial console stays open without a run before it is let go (reopened on the next run). */
  consoleIdleMs?: number;
}

const agentChannelXml = "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>";
const agentInGuest = 'qemu-guest-agent in the guest (Debian/Ubuntu: apt install qemu-guest-agent; systemctl enable --now qemu-guest-agent)';
const orSsh = "or set up SSH for it (the lab's SSH… button next to the VM)";
/** The agent answers at once when it runs; a hung one gets this long. */
const agentPingSeconds = 3;

/** Runs one at a time, in the order asked; after close() every run fails. */
function serialized(shell: SubjectShell, vm: VmRef): SubjectShell {
  const queue = createRunQueue();
  let closed = false;
  return {
    via: shell.via,
    commandFor: (script) => shell.commandFor(script),
    run(script, options) {
      if (!(options.timeoutMs > 0)) return Promise.reject(new AppError('INVALID_ARGUMENT', `A run needs a positive timeout, not ${options.timeoutMs} ms`));
      return queue(async () => {
        if (closed) throw new AppError('UNAVAILABLE', `The shell of ${vm.name} is closed`, { fix: { text: 'Open it again.' } });
        if (options.signal?.aborted) throw new AppError('UNAVAILABLE', `The run in ${vm.name} was cancelled before it started`);
        return shell.run(script, options);
      });
    },
    close() {
      closed = true;
      shell.close();
    },
  };
}

/** Why the guest agent cannot run scripts in the VM, or undefined when it can. */
async function agentProblem(virsh: Virsh, vm: VmRef, signal?: AbortSignal): Promise<string | undefined> {
  try {
    return execUnsupportedReason(await agentCall(virsh, vm, { execute: 'guest-info' }, { replySeconds: agentPingSeconds, ...(signal ? { signal } : {}) }));
  } catch (error) {
    if (signal?.aborted) throw error;
    return messageOf(error);
  }
}

/** The SSH shell, its failure telling also why the agent and the serial console could not be used. */
async function openSsh(access: VmSshAccess, vm: VmRef, config: VmSshConfig, others: string, signal?: AbortSignal): Promise<SubjectShell> {
  try {
    return await access.open(vm, config, signal);
  } catch (error) {
    if (!isAppError(error) || signal?.aborted) throw error;
    const detail = [error.detail, `SSH was the last way in: ${others}.`].filter(Boolean).join('\n\n');
    throw new AppError(error.code, error.message, { detail, ...(error.fix ? { fix: error.fix } : {}), cause: error });
  }
}

/** The ways into the guest the domain XML offers: the agent's virtio-serial channel, a pty console `virsh console` can open. */
export function guestAccess(domainXml: string): { agentChannel: boolean; serialConsole: boolean } {
  const facts = parseDomainXml(domainXml);
  return {
    agentChannel: facts.hasGuestAgentChannel,
    serialConsole: facts.consoles.some((console) => console.kind !== 'channel' && console.type === 'pty'),
  };
}

export async function openVmShell(deps: VmShellDeps, vm: VmRef, options: VmShellOptions = {}): Promise<SubjectShell> {
  const { virsh } = deps;
  const given = options.signal ? { signal: options.signal } : {};
  const state = (await virsh.run(vm.uri, ['domstate', '--domain', vm.name], given)).trim();
  if (state !== 'running') throw vmNotRunning(vm, state);
  const access = guestAccess(await virsh.run(vm.uri, ['dumpxml', '--', vm.name], given));

  const problem = access.agentChannel ? await agentProblem(virsh, vm, options.signal) : 'the VM has no guest agent channel';
  if (!problem) return serialized(createAgentShell(virsh, vm), vm);

  const ssh = deps.ssh && (await deps.ssh.config(vm));
  let consoleProblem = 'the VM has no serial console';
  if (access.serialConsole) {
    const shell = createConsoleShell(virsh, deps.env, vm, { idleMs: options.consoleIdleMs ?? 5000, answerTimeoutMs: 15_000 });
    try {
      await shell.connect(options.signal);
      return serialized(shell, vm);
    } catch (error) {
      shell.close();
      if (!ssh || options.signal?.aborted) throw error;
      consoleProblem = messageOf(error);
    }
  }
  if (deps.ssh && ssh) {
    return serialized(await openSsh(deps.ssh, vm, ssh, `guest agent: ${problem}; serial console: ${consoleProblem}`, options.signal), vm);
  }

  if (access.agentChannel) {
    throw new AppError('UNAVAILABLE', `The guest agent of ${vm.name} does not answer, and the VM has no serial console, so no command can run in it`, {
      detail: problem,
      fix: { text: `Install and start ${agentInGuest}; ${orSsh}.` },
    });
  }
  throw new AppError('UNAVAILABLE', `${vm.name} has neither a guest agent nor a serial console, so no command can run in it`, {
    fix: {
      text:
        `Add a guest agent channel (${agentChannelXml} in <devices>) and install and start ${agentInGuest}; ` +
        "or add a serial console (<serial type='pty'/><console type='pty'/>) with a shell on the guest's ttyS0; " +
        `${orSsh}.`,
      command: virshCommandLine(vm, 'edit', vm.name),
    },
  });
}
