// Runs a script in a VM's guest through its serial console: `virsh console` (never --force) in a pty, typed into the
// shell that runs on the guest's ttyS0, read back between markers. Plain Node; never imports electron.
import { AppError } from '@shared/errors';
import { abortableSleep } from '../abortable-sleep';
import type { Virsh } from '../libvirt/virsh';
import { startPty } from '../terminal/pty-source';
import { findProgram } from '../terminal/terminal-service';
import type { TerminalSource } from '../terminal/terminal-source';
import {
  asksForLogin,
  classifyConsoleFailure,
  consoleRunSteps,
  ConsoleRunScanner,
  consoleTail,
  randomMarkers,
  syncLine,
  syncMarker,
  virshConsoleText,
} from './vm-console-protocol';
import type { ShellRun, ShellRunOptions, SubjectShell } from './subject-shell';
import { virshCommandLine, vmNotRunning, type VmRef } from './vm-shell-support';

export interface ConsoleShellOptions {
  /** The console is let go after this long without a run, so it does not keep the VM's console from the user. */
  idleMs: number;
  /** Longest wait for the guest's shell to answer on a freshly opened console. */
  answerTimeoutMs: number;
}

const ctrlC = '\x03';
const ctrlBackslash = '\x1c';
/** virsh console's escape key (Ctrl+]): it leaves at once and cleanly. */
const consoleEscape = '\x1d';
/** How long one "echo marker" may take to come back before it is typed again. */
const syncAttemptMs = 2500;
/** A pause after Ctrl+C: the guest's tty drops what was typed before the interrupt reached it. */
const afterInterruptMs = 200;
/** How long virsh takes from its "Escape character" line to a raw terminal. */
const rawModeMs = 300;
const sigint = 2;
/** How long virsh's last output may trail its exit. */
const lastWordsMs = 250;
/** How long virsh gets to leave on its escape key before it is hung up. */
const leaveMs = 1000;
/** Most console text kept for errors' details. */
const keptTextLength = 16 * 1024;

type ReadOutcome = 'done' | 'timeout' | 'aborted' | 'closed';

/** One `virsh console` process: what it printed, and a reader that sees each chunk as it arrives. */
class ConsoleLink {
  private recent = '';
  private reader: ((chunk: string) => boolean) | undefined;
  private wakeReader: ((outcome: ReadOutcome) => void) | undefined;
  private readonly source: TerminalSource;
  closed = false;
  /** Set by close(): the link takes no more runs, and is gone once `gone` resolves. */
  leaving = false;
  readonly gone: Promise<void>;
  /** The signal that ended virsh, when one did. */
  endedBy: number | undefined;

  /** Starts `virsh console` (never --force: that would take the console from a user who has it open on the Terminals page). */
  constructor(program: string, vm: VmRef, env: NodeJS.ProcessEnv) {
    this.source = startPty({
      file: program,
      args: ['--connect', vm.uri, 'console', '--domain', vm.name],
      cwd: '/',
      env: { ...env, LC_ALL: 'C' },
      cols: 200,
      rows: 50,
      describeExit: (exitCode, signal) => {
        this.endedBy = signal || undefined;
        return { message: `virsh console exited with code ${exitCode}`, exitCode, canReopen: true };
      },
    });
    this.source.onData((chunk) => {
      this.recent = (this.recent + chunk).slice(-keptTextLength);
      if (this.reader?.(chunk)) this.wakeReader?.('done');
    });
    // node-pty may report the exit before the last output (virsh's reason for leaving): let that arrive first.
    this.gone = new Promise((resolve) => {
      this.source.onExit(() => {
        setTimeout(() => {
          this.closed = true;
          this.wakeReader?.('closed');
          resolve();
        }, lastWordsMs);
      });
    });
  }

  /** What the console printed lately (the guest's output and virsh's own lines). */
  get text(): string {
    return this.recent;
  }

  write(text: string): void {
    this.source.write(text);
  }

  /** Feeds each chunk from now on to `read` until it returns true, the deadline passes, `signal` aborts or the console closes. */
  read(read: (chunk: string) => boolean, deadline: number, signal?: AbortSignal): Promise<ReadOutcome> {
    if (this.closed) return Promise.resolve('closed');
    if (signal?.aborted) return Promise.resolve('aborted');
    return new Promise((resolve) => {
      const finish = (outcome: ReadOutcome) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.reader = undefined;
        this.wakeReader = undefined;
        resolve(outcome);
      };
      const onAbort = () => finish('aborted');
      const timer = setTimeout(() => finish('timeout'), Math.max(0, deadline - Date.now()));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.reader = read;
      this.wakeReader = finish;
    });
  }

  /** Types `text` (after `before`, with a pause for the tty) and waits for `expected` to come back. */
  async expect(before: string, text: string, expected: string, deadline: number, signal?: AbortSignal): Promise<ReadOutcome> {
    if (before) {
      this.write(before);
      await abortableSleep(afterInterruptMs, signal ?? new AbortController().signal);
    }
    let seen = '';
    const outcome = this.read(
      (chunk) => {
        seen = (seen + chunk).slice(-(expected.length + chunk.length + 4));
        return seen.includes(expected);
      },
      deadline,
      signal,
    );
    this.write(text);
    return outcome;
  }

  /** Leaves with virsh's escape key, hanging virsh up should it stay; resolves once it is gone. */
  close(): Promise<void> {
    if (this.closed || this.leaving) return this.gone;
    this.leaving = true;
    // node-pty writes asynchronously: closing the pty right after the key would close its fd first (EBADF), and
    // virsh would never read the key.
    this.source.write(consoleEscape);
    const hangUp = setTimeout(() => this.source.close(), leaveMs);
    hangUp.unref();
    void this.gone.then(() => clearTimeout(hangUp));
    return this.gone;
  }
}

/** One VM's console, shared by every shell open on it (a second `virsh console` would be refused): one connection,
 * runs one at a time, let go when idle or when its last shell closes. */
interface ConsoleChannel {
  link: ConsoleLink | undefined;
  idleTimer: NodeJS.Timeout | undefined;
  tail: Promise<unknown>;
  shells: number;
}

const channels = new Map<string, ConsoleChannel>();

function channelOf(vm: VmRef): { key: string; channel: ConsoleChannel } {
  const key = `${vm.uri}\n${vm.name}`;
  let channel = channels.get(key);
  if (!channel) {
    channel = { link: undefined, idleTimer: undefined, tail: Promise.resolve(), shells: 0 };
    channels.set(key, channel);
  }
  return { key, channel };
}

export function createConsoleShell(
  virsh: Virsh,
  env: NodeJS.ProcessEnv,
  vm: VmRef,
  options: ConsoleShellOptions,
): SubjectShell & { connect(signal?: AbortSignal): Promise<void> } {
  const { key, channel } = channelOf(vm);
  channel.shells += 1;
  let shut = false;

  function enqueue<T>(job: () => Promise<T>): Promise<T> {
    const result = channel.tail.then(() => {
      if (channel.idleTimer) clearTimeout(channel.idleTimer);
      return job();
    });
    channel.tail = result.catch(() => undefined).finally(holdWhileIdle);
    return result;
  }

  function holdWhileIdle() {
    if (channels.get(key) !== channel) return;
    if (channel.idleTimer) clearTimeout(channel.idleTimer);
    channel.idleTimer = setTimeout(() => void channel.link?.close(), options.idleMs);
    channel.idleTimer.unref();
  }

  /** The VM's state when it is not running, else undefined. */
  async function stopped(): Promise<string | undefined> {
    const state = (await virsh.run(vm.uri, ['domstate', '--domain', vm.name]).catch(() => 'not running')).trim();
    return state === 'running' ? undefined : state;
  }

  /** Why the console would not open or closed: another session holds it, the VM stopped, or virsh's own words. */
  async function consoleFailure(text: string, what: string): Promise<AppError> {
    const said = virshConsoleText(text);
    const kind = classifyConsoleFailure(said);
    if (kind === 'busy') {
      return new AppError('CONFLICT', `Another session holds the serial console of ${vm.name}`, {
        detail: said,
        fix: { text: `Close the serial console of ${vm.name} (its terminal on the Terminals page, or any other virsh console), then run again.` },
      });
    }
    const state = await stopped();
    if (kind === 'not-running' || state) return vmNotRunning(vm, state);
    return new AppError('UNAVAILABLE', `The serial console of ${vm.name} ${what}`, {
      detail: consoleTail(said) || undefined,
      fix: { text: 'Check that the VM has a pty serial console and that nothing else holds it, then run again.' },
    });
  }

  /** Types Ctrl+C and a marker until the shell prints the marker back: then it is at its prompt, reading. */
  async function reachShell(current: ConsoleLink, interrupts: string[], deadline: number, signal?: AbortSignal): Promise<ReadOutcome> {
    let outcome: ReadOutcome = 'timeout';
    for (let attempt = 0; outcome === 'timeout' && Date.now() < deadline; attempt++) {
      const markers = randomMarkers();
      const interrupt = interrupts[Math.min(attempt, interrupts.length - 1)] ?? ctrlC;
      outcome = await current.expect(interrupt, syncLine(markers), syncMarker(markers), Math.min(deadline, Date.now() + syncAttemptMs), signal);
    }
    return outcome;
  }

  /** A connected `virsh console` whose shell answered, or why not. */
  async function connect(program: string, deadline: number, signal?: AbortSignal): Promise<{ opened: ConsoleLink; answered: ReadOutcome }> {
    const opened = new ConsoleLink(program, vm, env);
    const connected = await opened.read(() => /Escape character is[^\n]*\n/.test(opened.text), Math.min(deadline, Date.now() + 15_000), signal);
    if (connected !== 'done') {
      void opened.close();
      if (connected === 'aborted') throw new AppError('UNAVAILABLE', `Opening the serial console of ${vm.name} was cancelled`);
      throw await consoleFailure(opened.text, connected === 'closed' ? 'would not open' : 'did not connect in time');
    }
    // virsh puts its terminal in raw mode just after that line; a Ctrl+C typed before would end virsh itself.
    await abortableSleep(rawModeMs, signal ?? new AbortController().signal);
    // When another session holds the console, virsh says so only after "Connected…", and exits: reachShell sees it close.
    return { opened, answered: await reachShell(opened, [ctrlC], Math.min(deadline, Date.now() + options.answerTimeoutMs), signal) };
  }

  async function open(deadline: number, signal?: AbortSignal): Promise<ConsoleLink> {
    if (channel.link && !channel.link.closed && !channel.link.leaving) return channel.link;
    // The console takes one session at a time: the link on its way out must be gone before a new one asks.
    await channel.link?.close();
    const program = findProgram('virsh', env.PATH ?? '/usr/bin:/bin');
    if (!program) {
      throw new AppError('NOT_FOUND', 'virsh is not installed, so the serial console cannot open', {
        fix: { text: 'Install the libvirt client tools.', command: 'sudo apt install libvirt-clients' },
      });
    }
    let { opened, answered } = await connect(program, deadline, signal);
    // On a slow machine the Ctrl+C may still have come before raw mode: once more.
    if (answered === 'closed' && opened.endedBy === sigint) ({ opened, answered } = await connect(program, deadline, signal));
    if (answered === 'done') {
      channel.link = opened;
      return opened;
    }
    void opened.close();
    if (answered === 'closed') throw await consoleFailure(opened.text, 'closed before its shell answered');
    if (answered === 'aborted') throw new AppError('UNAVAILABLE', `Opening the serial console of ${vm.name} was cancelled`);
    const state = await stopped();
    if (state) throw vmNotRunning(vm, state);
    const login = asksForLogin(opened.text);
    throw new AppError('UNAVAILABLE', login ? `The serial console of ${vm.name} asks for a login, not a shell` : `No shell answered on the serial console of ${vm.name}`, {
      detail: consoleTail(virshConsoleText(opened.text)) || 'The console printed nothing.',
      fix: {
        text: login
          ? `Log in once on the serial console of ${vm.name} (Terminals page) and close the terminal: the shell stays logged in. Or enable autologin on ttyS0, or run qemu-guest-agent in the guest.`
          : `Make sure a shell runs on the guest's serial console (ttyS0), e.g. a getty with autologin, or run qemu-guest-agent in the guest.`,
      },
    });
  }

  /** After a timeout or cancel: Ctrl+C, then Ctrl+\ (SIGQUIT), until the shell answers; else let the console go. */
  async function interrupt(current: ConsoleLink): Promise<string> {
    const answered = await reachShell(current, [ctrlC, ctrlC, ctrlBackslash, ctrlBackslash], Date.now() + 4 * syncAttemptMs);
    if (answered === 'done') return 'Isolab interrupted it with Ctrl+C on the serial console.';
    void current.close();
    return 'It did not stop on Ctrl+C or Ctrl+\\, so it may still run in the guest; Isolab let the serial console go.';
  }

  /** The error for a run that did not reach its end marker; stops what it started first. */
  async function unfinished(outcome: Exclude<ReadOutcome, 'done'>, current: ConsoleLink, began: boolean, timeoutMs: number): Promise<AppError> {
    if (outcome === 'closed') {
      if (shut) return new AppError('UNAVAILABLE', `The shell of ${vm.name} was closed during the run`);
      return consoleFailure(current.text, 'closed during the run (another session may have taken it over)');
    }
    const stopped = await interrupt(current);
    if (outcome === 'aborted') return new AppError('UNAVAILABLE', `The run in ${vm.name} was cancelled. ${stopped}`);
    return new AppError('TIMEOUT', `The script in ${vm.name} did not finish within ${timeoutMs / 1000} s. ${stopped}`, {
      ...(began ? {} : { detail: 'The guest shell had not started it yet.' }),
    });
  }

  async function run(script: string, runOptions: ShellRunOptions): Promise<ShellRun> {
    const { signal } = runOptions;
    const deadline = Date.now() + runOptions.timeoutMs;
    const current = await open(deadline, signal);
    const markers = randomMarkers();
    const steps = consoleRunSteps(script, markers);
    const last = steps.pop()!;
    for (const step of steps) {
      const stored = await current.expect('', step.line, step.ack ?? '', deadline, signal);
      if (stored !== 'done') throw await unfinished(stored, current, false, runOptions.timeoutMs);
    }
    const scanner = new ConsoleRunScanner(markers);
    const startedAt = Date.now();
    const outcome = current.read(
      (chunk) => {
        const scanned = scanner.push(chunk);
        if (scanned.output) runOptions.onOutput?.(scanned.output);
        return scanned.done;
      },
      deadline,
      signal,
    );
    current.write(last.line);
    const ended = await outcome;
    if (ended !== 'done') throw await unfinished(ended, current, scanner.began, runOptions.timeoutMs);
    return { stdout: scanner.text, stderr: '', exitCode: scanner.exitStatus ?? -1, startedAt, durationMs: Date.now() - startedAt };
  }

  return {
    via: 'serial-console',
    commandFor: (script) => `${virshCommandLine(vm, 'console', vm.name)}, then: ${script}`,
    connect: (signal) => enqueue(async () => void (await open(Date.now() + options.answerTimeoutMs + 15_000, signal))),
    run: (script, runOptions) => enqueue(() => run(script, runOptions)),
    close() {
      if (shut) return;
      shut = true;
      channel.shells -= 1;
      if (channel.shells > 0) return;
      if (channel.idleTimer) clearTimeout(channel.idleTimer);
      // The channel stays while its link leaves, so that a shell opened meanwhile waits for the console to be free.
      void (channel.link?.close() ?? Promise.resolve()).then(() => {
        if (channels.get(key) === channel && channel.shells === 0) channels.delete(key);
      });
    },
  };
}
