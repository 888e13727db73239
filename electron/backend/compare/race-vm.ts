// The VM side of the start-time race: one cold start of a shut-off domain, `virsh start NAME --console` in a pty (the
// console attaches right after the start) until a ready sign on the serial console, or the guest agent answering
// when there is no console; then the VM is forced off and waited for. Plain Node; never imports electron.
import { quote } from 'shell-quote';
import type { RacePhase, RaceRun } from '@shared/compare-types';
import { AppError, isAppError } from '@shared/errors';
import { abortableSleep } from '../abortable-sleep';
import { toAppError } from '../app-errors';
import { programPathFor } from '../config';
import { parseDomainXml } from '../libvirt/domain-xml-read';
import { VirshError, virshErrorText, type Virsh } from '../libvirt/virsh';
import { withoutTtyPrompt } from '../libvirt/virsh-lines';
import { signalName, startPty } from '../terminal/pty-source';
import { findProgram } from '../terminal/terminal-service';
import { createConsoleReader, createPhaseRecorder, promptSettleMs, readyPatterns, type ConsoleReading, type PhaseRecorder } from './race-phases';

export interface RaceVmDeps {
  virsh: Virsh;
  /** PATH and the rest for the virsh run in the pty. */
  env: NodeJS.ProcessEnv;
}

export interface RaceVm {
  uri: string;
  name: string;
  /** A pty serial port or console: `virsh console` can read the guest's boot. */
  hasConsole: boolean;
  /** A qemu-guest-agent channel: guest-ping answers once the guest's agent runs. */
  hasAgent: boolean;
}

/** How long one VM run may take from `virsh start` to a ready sign: a small guest boots in about 7 s under TCG. */
export const vmReadyTimeoutMs = 180_000;
/** How long the force-off may take until libvirt reports the domain shut off. */
const shutOffTimeoutMs = 30_000;
/** An abort that comes while `virsh start` runs waits this long for it to say whether the VM started. */
const startSettleMs = 30_000;
const agentPollMs = 500;
const pingCommand = '{"execute":"guest-ping"}';
// What `virsh start` says of a domain someone else started meanwhile (libvirt 9: "Domain is already active").
const alreadyRunning = /already (active|running)/i;

const bareWord = /^[\w./:=@%+,-]+$/;

/** A command line as a user would type it: plain words bare, the rest quoted for a POSIX shell. */
export function commandLine(words: readonly string[]): string {
  return words.map((word) => (bareWord.test(word) ? word : quote([word]))).join(' ');
}

const virshWords = (vm: Pick<RaceVm, 'uri'>, ...args: string[]) => ['virsh', '--connect', vm.uri, ...args];

/** The commands one VM run amounts to, as a user would type them. */
export function vmRaceCommands(vm: RaceVm): string[] {
  const start = vm.hasConsole ? virshWords(vm, 'start', vm.name, '--console') : virshWords(vm, 'start', vm.name);
  const wait = !vm.hasConsole && vm.hasAgent ? [virshWords(vm, 'qemu-agent-command', vm.name, pingCommand)] : [];
  return [start, ...wait, virshWords(vm, 'destroy', vm.name)].map(commandLine);
}

async function domainState(virsh: Virsh, uri: string, name: string): Promise<string> {
  return (await virsh.run(uri, ['domstate', '--domain', name], { timeoutMs: 30_000 })).trim();
}

/** The VM as the race needs it; CONFLICT unless it is shut off, since the race starts both subjects cold. */
export async function prepareRaceVm(virsh: Virsh, uri: string, name: string): Promise<RaceVm> {
  const state = await domainState(virsh, uri, name);
  if (state !== 'shut off') {
    throw new AppError('CONFLICT', `VM ${name} is ${state}: the race starts it from shut off, so that both subjects start cold`, {
      fix: { text: 'Shut the VM down first, then run the race again.', command: commandLine(virshWords({ uri }, 'shutdown', name)) },
    });
  }
  const facts = parseDomainXml(await virsh.run(uri, ['dumpxml', '--domain', name], { timeoutMs: 30_000 }));
  return {
    uri,
    name,
    hasConsole: facts.consoles.some((device) => device.kind !== 'channel' && device.type === 'pty'),
    hasAgent: facts.hasGuestAgentChannel,
  };
}

/** Forces the VM off (fine when it is off already) and waits until libvirt says so. */
async function forceOff(virsh: Virsh, vm: RaceVm): Promise<void> {
  try {
    await virsh.run(vm.uri, ['destroy', '--domain', vm.name], { timeoutMs: shutOffTimeoutMs });
  } catch (error) {
    if (!(error instanceof VirshError && error.failure.kind === 'wrong-state')) throw error;
  }
  const deadline = Date.now() + shutOffTimeoutMs;
  for (;;) {
    const state = await domainState(virsh, vm.uri, vm.name);
    if (state === 'shut off') return;
    if (Date.now() > deadline) {
      throw new AppError('TIMEOUT', `VM ${vm.name} is still ${state} ${shutOffTimeoutMs / 1000} s after the race forced it off`, {
        fix: { text: 'Force it off by hand.', command: commandLine(virshWords(vm, 'destroy', vm.name)) },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface ConsoleOutcome {
  /** virsh said the domain started: the race owns the running VM. */
  started: boolean;
  /** The race stopped waiting without knowing whether the start went through. */
  uncertain: boolean;
  readyBy?: string;
  error?: AppError;
  /** The console ended before a ready sign (not a timeout or an abort). */
  consoleEnded: boolean;
}

function readyTimeoutError(vm: RaceVm, what: string, detail: string): AppError {
  return new AppError('TIMEOUT', `VM ${vm.name} showed no ${what} within ${vmReadyTimeoutMs / 1000} s, so its ready time is unknown`, {
    ...(detail ? { detail } : {}),
    fix: { text: 'Make the guest print a line that starts with a word ending in READY (for example GUEST-READY) on its serial console once it is up, or install qemu-guest-agent in it.' },
  });
}

/** `virsh start` refused: someone started the VM since the race checked it, or libvirt could not start it. */
function startRefused(vm: RaceVm, stderr: string): AppError {
  if (alreadyRunning.test(stderr)) {
    return new AppError('CONFLICT', `VM ${vm.name} was started by someone else during the race, so this run could not start it cold`, {
      detail: virshErrorText(stderr),
      fix: { text: 'Shut the VM down and leave it to the race until it finishes.' },
    });
  }
  return new VirshError(vm.uri, ['start', vm.name], stderr);
}

/** `virsh start --console` in a pty, read until a ready sign, the console's end, the deadline or an abort. */
function watchConsole(deps: RaceVmDeps, vm: RaceVm, clock: () => number, recorder: PhaseRecorder, signal: AbortSignal): Promise<ConsoleOutcome> {
  const virsh = findProgram('virsh', programPathFor(deps.env));
  if (!virsh) {
    throw new AppError('NOT_FOUND', 'virsh is not installed, so the race cannot start the VM', {
      fix: { text: 'Install the libvirt client tools.', command: 'sudo apt install libvirt-clients' },
    });
  }
  const reader = createConsoleReader();
  const pty = startPty({
    file: virsh,
    args: ['--connect', withoutTtyPrompt(vm.uri), 'start', vm.name, '--console'],
    cwd: '/',
    env: { ...deps.env, LC_ALL: 'C' },
    cols: 160,
    rows: 48,
    describeExit: (exitCode, exitSignal) => ({ message: exitSignal ? `virsh ended by ${signalName(exitSignal)}` : `virsh exited with code ${exitCode}`, exitCode, canReopen: false }),
  });
  const exited = new Promise<void>((resolve) => pty.onExit(() => resolve()));

  const outcome = new Promise<ConsoleOutcome>((resolve) => {
    let finished = false;
    let stopping = false;
    let settleTimer: NodeJS.Timeout | undefined;
    const timers: NodeJS.Timeout[] = [];
    const finish = (result: Omit<ConsoleOutcome, 'started' | 'consoleEnded'> & { consoleEnded?: boolean }) => {
      if (finished) return;
      finished = true;
      for (const timer of [...timers, settleTimer]) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve({ consoleEnded: false, ...result, started: reader.started });
    };
    const take = (readings: ConsoleReading[]) => {
      for (const reading of readings) {
        recorder.mark(reading.phase, reading.atMs);
        if (reading.phase === 'ready') finish({ uncertain: false, readyBy: reading.readyBy });
      }
    };
    // Stopping before virsh has said whether the domain started would leave a VM that may still come up unseen.
    const onAbort = () => {
      stopping = true;
      if (reader.started) finish({ uncertain: false });
      else timers.push(setTimeout(() => finish({ uncertain: true }), startSettleMs));
    };
    pty.onData((text) => {
      if (finished) return;
      take(reader.push(text, clock()));
      if (stopping && reader.started) finish({ uncertain: false });
      clearTimeout(settleTimer);
      if (reader.promptPending) settleTimer = setTimeout(() => take(reader.settle(clock())), promptSettleMs);
    });
    pty.onExit((exit) => {
      if (stopping) return finish({ uncertain: false });
      const errors = reader.tail(40).split('\n').filter((line) => line.startsWith('error:'));
      const error = reader.started
        ? new AppError('UNAVAILABLE', `The serial console of ${vm.name} closed before it showed a ready sign (${exit.message})`, { detail: reader.tail() })
        : startRefused(vm, errors.length > 0 ? errors.join('\n') : reader.tail());
      finish({ uncertain: false, error, consoleEnded: true });
    });
    timers.push(
      setTimeout(
        () => finish({ uncertain: !reader.started, error: readyTimeoutError(vm, `ready sign (${readyPatterns.map((pattern) => pattern.label).join(', ')})`, reader.tail()) }),
        vmReadyTimeoutMs,
      ),
    );
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });

  return outcome.finally(async () => {
    pty.close();
    await exited;
  });
}

/** Polls guest-ping until the guest's agent answers; the deadline counts from the run's start. */
async function waitForAgent(deps: RaceVmDeps, vm: RaceVm, clock: () => number, signal: AbortSignal): Promise<void> {
  let last = '';
  while (clock() < vmReadyTimeoutMs) {
    try {
      await deps.virsh.run(vm.uri, ['qemu-agent-command', vm.name, pingCommand, '--timeout', '2'], { timeoutMs: 10_000, signal });
      return;
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof VirshError && error.failure.kind === 'wrong-state') {
        throw new AppError('CONFLICT', `VM ${vm.name} stopped before its guest agent answered`, { detail: error.detail });
      }
      last = isAppError(error) ? (error.detail ?? error.message) : String(error);
    }
    await abortableSleep(agentPollMs, signal);
    if (signal.aborted) return;
  }
  throw readyTimeoutError(vm, 'answer from its guest agent', last);
}

const noReadySign = (vm: RaceVm) =>
  new AppError('NOT_FOUND', `VM ${vm.name} has neither a serial console nor a guest agent channel, so the race cannot see when it is ready`, {
    fix: { text: 'Add a serial console (pty) or a qemu-guest-agent channel to the VM, and run qemu-guest-agent in the guest.' },
  });

/**
 * One cold start of `vm` (shut off): phases from the run's start, then the VM forced off again, also on failure and
 * abort. A failed run keeps the phases it reached and says why in `error`; an abort rejects after the cleanup.
 */
export async function raceVmOnce(
  deps: RaceVmDeps,
  vm: RaceVm,
  run: number,
  onPhase: (phase: RacePhase, atMs: number) => void,
  signal: AbortSignal,
): Promise<RaceRun> {
  const recorder = createPhaseRecorder(onPhase);
  const t0 = performance.now();
  const clock = () => performance.now() - t0;
  let readyBy: string | undefined;
  let error: AppError | undefined;
  let ownsVm = false;
  try {
    let needAgent = !vm.hasConsole;
    if (vm.hasConsole) {
      const outcome = await watchConsole(deps, vm, clock, recorder, signal);
      ownsVm = outcome.started || outcome.uncertain;
      readyBy = outcome.readyBy;
      error = outcome.error;
      // The console could not attach (or went away) but the guest has an agent: it can still tell when it is up.
      needAgent = outcome.started && outcome.consoleEnded && vm.hasAgent && !signal.aborted;
    } else {
      // Not aborted mid-call: a killed `virsh start` may still have started the domain unseen. Whatever else went
      // wrong, the domain may be up: it is forced off unless libvirt said it was running already (not the race's).
      ownsVm = true;
      try {
        await deps.virsh.run(vm.uri, ['start', '--domain', vm.name], { timeoutMs: 60_000 });
      } catch (failure) {
        if (!(failure instanceof VirshError && alreadyRunning.test(failure.detail ?? ''))) throw failure;
        ownsVm = false;
        throw startRefused(vm, failure.detail ?? '');
      }
      recorder.mark('start', clock());
    }
    if (needAgent && !signal.aborted) {
      if (!vm.hasAgent) throw noReadySign(vm);
      await waitForAgent(deps, vm, clock, signal);
      if (!signal.aborted) {
        recorder.mark('ready', clock());
        readyBy = 'agent answered';
        error = undefined;
      }
    }
  } catch (failure) {
    error = toAppError(failure, `Starting VM ${vm.name}`);
  } finally {
    if (ownsVm) await forceOff(deps.virsh, vm);
  }
  if (signal.aborted) throw raceStopped();
  return { run, phases: recorder.phases, ...(readyBy ? { readyBy } : {}), ...(error ? { error: error.toWire() } : {}) };
}

export function raceStopped(): AppError {
  return new AppError('UNAVAILABLE', 'The start-time race was stopped; what it had started is removed');
}
