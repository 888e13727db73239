// The containers a guided experiment makes: `docker run` with the limits it sets (no network, the lab's label),
// their output as it comes, the engine's events about them, and removal. Never imports electron.
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type Docker from 'dockerode';
import { labContainerLabel } from '@shared/compare-api';
import type { ExperimentId } from '@shared/compare-types';
import { parseByteSize } from '@shared/docker-schemas';
import { AppError } from '@shared/errors';
import { engineCall, jsonLines } from '../docker/container-requests';
import type { DockerAccess } from '../docker/docker-access';
import { dockerStatus } from '../docker/docker-errors';
import type { ExperimentRun } from './experiment-context';
import { type EngineEvent, formatEngineEvent } from './experiment-findings';
import { cancelled, type Findings, readOutput, runStep, shellLine } from './experiment-steps';

export interface LabContainerSpec {
  name: string;
  image: string;
  /** The experiment that made it: the value of the lab's label, so the lab's cleanup finds it too. */
  experiment: ExperimentId;
  cmd: string[];
  /** Docker's size syntax as typed on the command line (`32m`). */
  memory?: string;
  memorySwap?: string;
  pidsLimit?: number;
}

/** How the run is shown: `--rm` (removed right after), kept for inspection, or `-d` (runs on in the background). */
export type LabRunMode = 'remove' | 'keep' | 'detach';

/** `docker run …` exactly as the experiment runs it. */
export function labRunCommand(spec: LabContainerSpec, mode: LabRunMode): string {
  const args = ['docker', 'run'];
  if (mode === 'remove') args.push('--rm');
  if (mode === 'detach') args.push('-d');
  args.push('--name', spec.name, '--network', 'none');
  if (spec.memory !== undefined) args.push('--memory', spec.memory);
  if (spec.memorySwap !== undefined) args.push('--memory-swap', spec.memorySwap);
  if (spec.pidsLimit !== undefined) args.push('--pids-limit', String(spec.pidsLimit));
  args.push('--label', `${labContainerLabel}=${spec.experiment}`, spec.image, ...spec.cmd);
  return shellLine(args);
}

function bytes(size: string | undefined): number | undefined {
  return size === undefined ? undefined : parseByteSize(size);
}

interface Created {
  id: string;
  /** The image the container was made from, as the engine resolved it (sha256:…). */
  imageId: string;
  warnings: string[];
}

async function create(engine: Docker, spec: LabContainerSpec): Promise<Created> {
  const created = await engineCall<{ Id: string; Warnings?: string[] | null }>(engine, {
    path: '/containers/create',
    method: 'POST',
    query: { name: spec.name },
    body: {
      Image: spec.image,
      Cmd: spec.cmd,
      Labels: { [labContainerLabel]: spec.experiment },
      Tty: false,
      AttachStdout: true,
      AttachStderr: true,
      HostConfig: {
        // The experiment reads the exit state after the end, then removes the container itself.
        AutoRemove: false,
        NetworkMode: 'none',
        ...(spec.memory === undefined ? {} : { Memory: bytes(spec.memory) }),
        ...(spec.memorySwap === undefined ? {} : { MemorySwap: bytes(spec.memorySwap) }),
        ...(spec.pidsLimit === undefined ? {} : { PidsLimit: spec.pidsLimit }),
      },
    },
    ok: [200, 201],
  });
  const inspect = (await engine.getContainer(created.Id).inspect()) as { Image: string };
  return { id: created.Id, imageId: inspect.Image, warnings: created.Warnings ?? [] };
}

/** Removes the container whatever its state; one that is gone (or going) already is fine. */
export async function removeLabContainer(docker: DockerAccess, name: string): Promise<void> {
  await docker.withEngine(`Removing container ${name}`, async (engine) => {
    try {
      await engine.getContainer(name).remove({ force: true, v: true });
    } catch (error) {
      const status = dockerStatus(error);
      if (status !== 404 && status !== 409) throw error;
    }
  });
}

export interface LabRunResult extends Created {
  exitCode: number;
}

/**
 * Creates, attaches to and starts the container, passes its output on as it comes, and waits for it to end by
 * itself; after `timeoutMs` (or on cancel) it is killed and the run fails. The caller removes it.
 */
export function runLabContainer(
  docker: DockerAccess,
  spec: LabContainerSpec,
  options: { timeoutMs: number; signal: AbortSignal; onOutput(text: string): void },
): Promise<LabRunResult> {
  return docker.withEngine(`Running container ${spec.name}`, async (engine) => {
    const created = await create(engine, spec);
    for (const warning of created.warnings) options.onOutput(`WARNING: ${warning}\n`);
    const container = engine.getContainer(created.id);
    const stream = (await container.attach({ stream: true, stdout: true, stderr: true, logs: true })) as unknown as IncomingMessage;
    const decoder = new StringDecoder('utf8');
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => options.onOutput(decoder.write(chunk)));
    engine.modem.demuxStream(stream, sink, sink);
    const outputEnded = new Promise<void>((resolve) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', () => resolve());
    });
    let failure: AppError | undefined;
    const stop = (why: AppError) => {
      failure ??= why;
      void container.kill().catch(() => undefined);
    };
    const timer = setTimeout(
      () => stop(new AppError('TIMEOUT', `Container ${spec.name} did not end by itself within ${options.timeoutMs / 1000} s, so it was killed`)),
      options.timeoutMs,
    );
    const onAbort = () => stop(cancelled());
    options.signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (options.signal.aborted) throw cancelled();
      await container.start();
      const exit = (await container.wait()) as { StatusCode: number };
      // The attach stream ends just after the exit; wait briefly so the last lines come before the verdict.
      await Promise.race([outputEnded, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (failure) throw failure;
      return { ...created, exitCode: exit.StatusCode };
    } finally {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      stream.destroy();
    }
  });
}

/** Starts the container in the background (`docker run -d`): its id, as the command prints it. */
export function startLabContainer(docker: DockerAccess, spec: LabContainerSpec): Promise<Created> {
  return docker.withEngine(`Starting container ${spec.name}`, async (engine) => {
    const created = await create(engine, spec);
    await engine.getContainer(created.id).start();
    return created;
  });
}

export interface ExitState {
  exitCode: number;
  oomKilled: boolean;
}

export function readExitState(docker: DockerAccess, name: string): Promise<ExitState> {
  return docker.withEngine(`Inspecting container ${name}`, async (engine) => {
    const state = ((await engine.getContainer(name).inspect()) as { State: { ExitCode: number; OOMKilled: boolean } }).State;
    return { exitCode: state.ExitCode, oomKilled: state.OOMKilled };
  });
}

export interface EventWatch {
  readonly events: EngineEvent[];
  /** Resolves true once an event with this action came (or had come), false after `timeoutMs`. */
  seen(action: string, timeoutMs: number): Promise<boolean>;
  stop(): void;
}

/**
 * Subscribes to the engine's events about containers of that name (as `docker events --filter container=NAME`
 * does), from now on: call it before the container is made, so none of its events are missed.
 */
export function watchContainerEvents(docker: DockerAccess, name: string, signal: AbortSignal, onLine: (line: string) => void): Promise<EventWatch> {
  return docker.withEngine(`Watching the engine's events for ${name}`, async (engine) => {
    const control = new AbortController();
    const stream = (await engine.getEvents({
      filters: { container: [name] },
      abortSignal: AbortSignal.any([signal, control.signal]),
    } as Docker.GetEventsOptions)) as unknown as IncomingMessage;
    const events: EngineEvent[] = [];
    const waiters = new Set<() => void>();
    const lines = jsonLines((value) => {
      const event = value as EngineEvent;
      events.push(event);
      onLine(`${formatEngineEvent(event)}\n`);
      for (const wake of waiters) wake();
    });
    stream.on('data', (chunk: Buffer) => lines.push(chunk));
    stream.on('error', () => undefined);
    return {
      events,
      seen(action, timeoutMs) {
        const has = () => events.some((event) => event.Action === action);
        if (has()) return Promise.resolve(true);
        return new Promise<boolean>((resolve) => {
          const finish = (value: boolean) => {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(value);
          };
          const check = () => {
            if (has()) finish(true);
          };
          const timer = setTimeout(() => finish(false), timeoutMs);
          waiters.add(check);
        });
      },
      stop() {
        control.abort();
        stream.destroy();
      },
    };
  });
}

export interface ContainerStepResult {
  result?: LabRunResult;
  output: string;
  findings: Findings;
  error?: AppError;
}

/**
 * One `docker run --rm` as a visible step: the container's output as it comes, findings read from all of it and
 * its exit code; the container is removed right after (and again when the experiment ends, should that fail).
 */
export async function runContainerStep(
  run: ExperimentRun,
  spec: LabContainerSpec,
  title: string,
  timeoutMs: number,
  read: (output: string, result: LabRunResult) => Findings,
): Promise<ContainerStepResult> {
  const { docker } = run.deps;
  run.defer(() => removeLabContainer(docker, spec.name));
  let output = '';
  const outcome = await runStep(run.steps, { subject: 'container', title, command: labRunCommand(spec, 'remove') }, run.signal, async (step) => {
    const result = await runLabContainer(docker, spec, {
      timeoutMs,
      signal: run.signal,
      onOutput(text) {
        output += text;
        step.output(text);
      },
    });
    return { value: result, exitCode: result.exitCode, findings: readOutput(title, output, () => read(output, result)) };
  });
  await removeLabContainer(docker, spec.name).catch(() => undefined);
  return { ...(outcome.value ? { result: outcome.value } : {}), output, findings: outcome.findings, ...(outcome.error ? { error: outcome.error } : {}) };
}
