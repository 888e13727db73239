// Runs a script in a VM's guest over SSH: `ssh … user@host "sh -c 'SCRIPT'"` as a child process (an argument array, no
// local shell), stdout and stderr apart; a run that times out is killed in the guest over a second connection.
// Plain Node; never imports electron.
import { randomBytes } from 'node:crypto';
import { AppError, type Fix } from '@shared/errors';
import type { VmSshConfig } from '@shared/vm-ssh-schemas';
import { startChildRun, type ChildRun } from './child-run';
import type { ShellRun, ShellRunOptions, SubjectShell } from './subject-shell';
import { shellQuote, type VmRef } from './vm-shell-support';

export interface SshTarget {
  user: string;
  host: string;
  port: number;
  identityFile?: string;
}

export interface SshShellOptions {
  /** Isolab's own known_hosts: the first connection to an address records the guest's key, a changed key is refused. */
  knownHostsFile: string;
  /** The environment ssh runs in: PATH finds it, HOME finds the user's ~/.ssh/config and default keys. */
  env: NodeJS.ProcessEnv;
}

/** ssh's exit status when it failed itself (it could not connect or log in); otherwise it is the command's. */
const sshFailed = 255;
/** Marks, in their environment, the processes a shell started in the guest, so a run that is given up on can be found. */
const markerVariable = 'ISOLAB_SHELL';
/** The first run checks the login: TCP connect (ConnectTimeout), key exchange and login, slow under emulation. */
const checkTimeoutMs = 30_000;
const cleanupTimeoutMs = 15_000;

/** The known_hosts option: ssh expands "%" in it and splits it at spaces, so both are escaped. */
function knownHostsOption(file: string): string {
  const escaped = file.replace(/%/g, '%%');
  return `UserKnownHostsFile=${/[\s"\\]/.test(escaped) ? `"${escaped.replace(/["\\]/g, '\\$&')}"` : escaped}`;
}

/** ssh's arguments for one unattended command: no prompts, a bounded connect, host keys recorded on first use. */
export function sshArguments(target: SshTarget, knownHostsFile: string, command: string): string[] {
  return [
    ...['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-o', 'StrictHostKeyChecking=accept-new', '-o', knownHostsOption(knownHostsFile)],
    // Otherwise ssh says on stderr that it recorded a host key: stderr stays the guest's, ssh speaks only when it fails.
    ...['-o', 'LogLevel=ERROR'],
    ...(target.port === 22 ? [] : ['-p', String(target.port)]),
    // Only the chosen key: the agent's and the default keys would count against the server's MaxAuthTries.
    ...(target.identityFile ? ['-o', 'IdentitiesOnly=yes', '-i', target.identityFile] : []),
    `${target.user}@${target.host}`,
    command,
  ];
}

/**
 * What the guest's login shell runs: the script under `sh -c`, with the shell's token in its environment (inherited
 * by everything it starts), then `exit`, so the login shell waits for it rather than exec-ing it: a command ended by
 * signal N then exits 128+N, where ssh itself would report 255.
 */
export function remoteCommand(script: string, token: string): string {
  return `${markerVariable}=${token} sh -c ${shellQuote(script)}; exit`;
}

/** Stops (then kills) every process in the guest whose environment carries the token, also ones forked meanwhile. */
export function killMarkedScript(token: string): string {
  return [
    'found=',
    'for round in 1 2 3 4 5; do',
    '  fresh=',
    '  for f in /proc/[0-9]*/environ; do',
    `    tr '\\0' '\\n' <"$f" 2>/dev/null | grep -qx '${markerVariable}=${token}' || continue`,
    '    p=${f#/proc/}; p=${p%/environ}',
    '    case " $found " in *" $p "*) ;; *) fresh="$fresh $p" ;; esac',
    '  done',
    '  [ -n "$fresh" ] || break',
    '  kill -STOP $fresh 2>/dev/null',
    '  found="$found$fresh"',
    'done',
    'kill -9 $found 2>/dev/null',
    'echo $found',
  ].join('\n');
}

export function sshCommandLine(args: string[]): string {
  return ['ssh', ...args].map(shellQuote).join(' ');
}

/** What to do about ssh's own failure, from its words. */
export function sshFix(said: string, target: SshTarget, knownHostsFile: string): Fix {
  const where = target.port === 22 ? target.host : `[${target.host}]:${target.port}`;
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/i.test(said)) {
    return {
      text: `The guest's host key is not the one Isolab recorded for ${where} (a reinstalled VM, or another VM got this address). If you expect that, forget the old key and run again.`,
      command: ['ssh-keygen', '-f', knownHostsFile, '-R', where].map(shellQuote).join(' '),
    };
  }
  if (/Permission denied/i.test(said)) {
    const key = target.identityFile ? `the public key of ${target.identityFile} (${target.identityFile}.pub)` : 'your public key';
    return {
      text: `The guest did not accept the login of ${target.user}. Add ${key} to ~${target.user}/.ssh/authorized_keys in the guest, or choose the key it accepts in the lab's SSH settings.`,
      command: ['ssh-copy-id', ...(target.identityFile ? ['-i', target.identityFile] : []), ...(target.port === 22 ? [] : ['-p', String(target.port)]), `${target.user}@${target.host}`]
        .map(shellQuote)
        .join(' '),
    };
  }
  if (/Connection refused/i.test(said)) {
    return { text: `Nothing listens for SSH on port ${target.port} of ${target.host}: start an SSH server in the guest (Debian/Ubuntu: apt install openssh-server), or set the right port in the lab's SSH settings.` };
  }
  if (/Could not resolve hostname/i.test(said)) {
    return { text: `Correct the host in the lab's SSH settings, or leave it empty to use the VM's address from libvirt.` };
  }
  if (/timed out|No route to host|Network is unreachable/i.test(said)) {
    return { text: `${target.host} does not answer: check that the VM has this address (the VM page lists its addresses) and that this host reaches its network, or set the host in the lab's SSH settings.` };
  }
  return { text: `Check that an SSH server runs in the guest and that ${target.user} can log in with the key, then run again.` };
}

/** One ssh process, in its own process group so a ProxyCommand from the user's ssh config goes with it. */
function runSsh(args: string[], env: NodeJS.ProcessEnv, onOutput?: (text: string) => void): ChildRun {
  const run = startChildRun('ssh', args, { env: { ...env, LC_ALL: 'C' }, onOutput });
  const ended = run.ended.catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT'
      ? new AppError('NOT_FOUND', 'ssh is not installed, so Isolab cannot log in to the VM over SSH', {
          detail: error.message,
          fix: { text: 'Install the OpenSSH client.', command: 'sudo apt install openssh-client' },
        })
      : new AppError('UNAVAILABLE', `ssh could not start: ${error.message}`, { cause: error });
  });
  return { ended, kill: run.kill };
}

/** Waits for the ssh process; kills it at the timeout or when `signal` aborts, and says which ended it. */
async function watched(ssh: ChildRun, timeoutMs: number, signal?: AbortSignal): Promise<{ outcome: ShellRun; givenUp?: 'timeout' | 'cancelled' }> {
  let givenUp: 'timeout' | 'cancelled' | undefined;
  const giveUp = (why: 'timeout' | 'cancelled') => {
    givenUp ??= why;
    ssh.kill();
  };
  const timer = setTimeout(() => giveUp('timeout'), timeoutMs);
  const onAbort = () => giveUp('cancelled');
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const outcome = await ssh.ended;
    return givenUp ? { outcome, givenUp } : { outcome };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

export interface SshShell extends SubjectShell {
  /** Logs in once and runs `true`: the shell is usable, or this says why not in ssh's words. */
  check(signal?: AbortSignal): Promise<void>;
}

/** An SSH shell into `vm`'s guest at `target`. Runs are not queued here: openVmShell serializes them. */
export function createSshShell(vm: VmRef, target: SshTarget, options: SshShellOptions): SshShell {
  const token = randomBytes(6).toString('hex');
  const argsFor = (script: string) => sshArguments(target, options.knownHostsFile, remoteCommand(script, token));

  function failed(said: string): AppError {
    return new AppError('UNAVAILABLE', `ssh could not log in to ${vm.name} as ${target.user}@${target.host}${target.port === 22 ? '' : ` port ${target.port}`}`, {
      detail: said.trim() || `ssh exited with ${sshFailed} and said nothing.`,
      fix: sshFix(said, target, options.knownHostsFile),
    });
  }

  /** Kills, over a second connection, what the given-up run left in the guest; says what happened. */
  async function stopInGuest(): Promise<string> {
    try {
      const kill = runSsh(sshArguments(target, options.knownHostsFile, `sh -c ${shellQuote(killMarkedScript(token))}`), options.env);
      const { outcome, givenUp } = await watched(kill, cleanupTimeoutMs);
      if (givenUp) return `Isolab could not kill it in the guest: no answer over SSH within ${cleanupTimeoutMs / 1000} s.`;
      if (outcome.exitCode !== 0) return `Isolab could not kill it in the guest: ${outcome.stderr.trim() || `ssh exited with ${outcome.exitCode}`}`;
      const pids = outcome.stdout.trim();
      return pids ? `Isolab killed it in the guest (kill -9 of processes ${pids}).` : 'Nothing of it was left running in the guest.';
    } catch (error) {
      return `Isolab could not kill it in the guest: ${(error as Error).message}`;
    }
  }

  async function run(script: string, runOptions: ShellRunOptions): Promise<ShellRun> {
    const { outcome, givenUp } = await watched(runSsh(argsFor(script), options.env, runOptions.onOutput), runOptions.timeoutMs, runOptions.signal);
    if (givenUp) {
      const stopped = await stopInGuest();
      if (givenUp === 'cancelled') throw new AppError('UNAVAILABLE', `The run in ${vm.name} was cancelled. ${stopped}`);
      throw new AppError('TIMEOUT', `The script in ${vm.name} did not finish within ${runOptions.timeoutMs / 1000} s. ${stopped}`, {
        detail: outcome.stdout.slice(-2000) || undefined,
      });
    }
    if (outcome.exitCode === sshFailed) throw failed(outcome.stderr);
    return outcome;
  }

  return {
    via: 'ssh',
    commandFor: (script) => sshCommandLine(argsFor(script)),
    run,
    async check(signal) {
      const { outcome, givenUp } = await watched(runSsh(argsFor('true'), options.env), checkTimeoutMs, signal);
      if (givenUp === 'cancelled') throw new AppError('UNAVAILABLE', `Logging in to ${vm.name} over SSH was cancelled`);
      if (givenUp) throw failed(`${outcome.stderr}\nNo login within ${checkTimeoutMs / 1000} s.`);
      if (outcome.exitCode !== 0) throw failed(outcome.stderr || `The login shell ran \`true\` and exited with ${outcome.exitCode}.`);
    },
    close() {
      // Nothing held between runs: each run is its own connection.
    },
  };
}

const ipv4Pattern = /^(?:\d{1,3}\.){3}\d{1,3}$/;

/** Where to log in: the host the user gave, else the VM's first IPv4 address libvirt knows of. */
export function sshTarget(vm: VmRef, config: VmSshConfig, addresses: string[]): SshTarget {
  const host = config.host ?? addresses.map((address) => address.replace(/\/\d+$/, '')).find((address) => ipv4Pattern.test(address));
  if (!host) {
    throw new AppError('UNAVAILABLE', `${vm.name} has no IPv4 address libvirt knows of, so SSH has nowhere to connect`, {
      fix: { text: `Wait until the guest has a DHCP lease on its network (the VM page lists its addresses), or set the host in the lab's SSH settings.` },
    });
  }
  return { user: config.user, host, port: config.port, ...(config.identityFile ? { identityFile: config.identityFile } : {}) };
}
