// The guided experiments' steps as the UI sees them: each one announced with its subject and command line, its
// output as it arrives, then its exit code and findings. Plain Node; never imports electron.
import type { CompareSubject, ExperimentEvent } from '@shared/compare-types';
import { AppError } from '@shared/errors';
import { toAppError } from '../app-errors';
import type { ShellRun, SubjectShell } from './subject-shell';

export type Findings = Record<string, string | number>;

export interface Step {
  readonly index: number;
  output(text: string): void;
  done(exitCode: number | null, findings: Findings, error?: AppError): void;
}

export interface StepRecorder {
  /** Announces a step: what it shows, in which subject, and the command line a user would type for it. */
  begin(subject: CompareSubject, title: string, command: string): Step;
}

export function createStepRecorder(onEvent: (event: ExperimentEvent) => void): StepRecorder {
  let next = 0;
  return {
    begin(subject, title, command) {
      const index = next++;
      onEvent({ type: 'step', step: { index, title, subject, command } });
      let finished = false;
      return {
        index,
        output(text) {
          if (!finished && text !== '') onEvent({ type: 'output', index, text });
        },
        done(exitCode, findings, error) {
          if (finished) return;
          finished = true;
          onEvent({ type: 'step-done', index, exitCode, findings, ...(error ? { error: error.toWire() } : {}) });
        },
      };
    },
  };
}

/** The cancellation every step ends with once the experiment's subscriber has gone. */
export function cancelled(): AppError {
  return new AppError('UNAVAILABLE', 'The experiment was cancelled');
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw cancelled();
}

// Words no POSIX shell treats specially are left bare, so a command line reads the way people write it
// (shell-quote would escape every ":" and "=" in `local/busybox:latest` or `bs=64M`).
const bareWord = /^[\w./:=@%+,-]+$/;

/** Arguments as one line a POSIX shell runs the same way. */
export function shellLine(args: readonly string[]): string {
  return args.map((arg) => (bareWord.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)).join(' ');
}

export interface ShellStep {
  subject: CompareSubject;
  title: string;
  script: string;
  /** What the step shows instead of the shell's own form: on the host, the script as typed at a prompt. */
  command?: string;
  timeoutMs: number;
  /** The findings read from the run; what it throws is the step's error (the output lacked what was expected). */
  read?(run: ShellRun): Findings;
}

export interface ShellStepResult {
  run?: ShellRun;
  findings: Findings;
  error?: AppError;
}

/**
 * Runs one script as a visible step. A failure (timeout, unreachable subject, unreadable output) ends the step
 * with its error and is returned, so the experiment can go on with its other steps; cancellation is thrown.
 */
export async function runShellStep(steps: StepRecorder, shell: SubjectShell, spec: ShellStep, signal: AbortSignal): Promise<ShellStepResult> {
  const step = steps.begin(spec.subject, spec.title, spec.command ?? shell.commandFor(spec.script));
  let run: ShellRun;
  try {
    run = await shell.run(spec.script, { timeoutMs: spec.timeoutMs, signal, onOutput: step.output });
  } catch (error) {
    if (signal.aborted) throw cancelled();
    const failure = toAppError(error, spec.title);
    step.done(null, {}, failure);
    return { findings: {}, error: failure };
  }
  try {
    const findings = spec.read ? readOutput(spec.title, `${run.stdout}${run.stderr}`, () => spec.read!(run)) : {};
    step.done(run.exitCode, findings);
    return { run, findings };
  } catch (error) {
    const failure = toAppError(error, spec.title);
    step.done(run.exitCode, {}, failure);
    return { run, findings: {}, error: failure };
  }
}

/** Findings read from a step's output; a parser's complaint becomes an error that shows the output's end. */
export function readOutput(title: string, output: string, read: () => Findings): Findings {
  try {
    return read();
  } catch (error) {
    throw new AppError('INTERNAL', `${title}: the output did not say what was expected (${error instanceof Error ? error.message : String(error)})`, {
      detail: output.slice(-2000),
    });
  }
}

/** Runs `work` as one visible step whose output the caller writes; a failure ends the step and is returned. */
export async function runStep<T>(
  steps: StepRecorder,
  begin: { subject: CompareSubject; title: string; command: string },
  signal: AbortSignal,
  work: (step: Step) => Promise<{ value: T; exitCode: number | null; findings: Findings }>,
): Promise<{ value?: T; findings: Findings; error?: AppError }> {
  const step = steps.begin(begin.subject, begin.title, begin.command);
  try {
    const { value, exitCode, findings } = await work(step);
    step.done(exitCode, findings);
    return { value, findings };
  } catch (error) {
    if (signal.aborted) throw cancelled();
    const failure = toAppError(error, begin.title);
    step.done(null, {}, failure);
    return { findings: {}, error: failure };
  }
}
