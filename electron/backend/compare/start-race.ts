// The Compare lab's start-time race: a fresh container from an image and a shut-off VM, each started `runs` times
// from stopped with every phase timed, then medians and the commands used. Plain Node; never imports electron.
import { randomBytes } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import type Docker from 'dockerode';
import { labContainerLabel } from '@shared/compare-api';
import type { RacePhase, RaceEvent, RaceResult, RaceRun } from '@shared/compare-types';
import { AppError } from '@shared/errors';
import { dockerError, dockerStatus, engineMessage } from '../docker/docker-errors';
import type { DockerAccess } from '../docker/docker-access';
import type { Virsh } from '../libvirt/virsh';
import { removeLabContainer } from './experiment-lab-containers';
import { createPhaseRecorder, phaseMedians } from './race-phases';
import { commandLine, prepareRaceVm, raceStopped, raceVmOnce, vmRaceCommands } from './race-vm';

export interface RaceDeps {
  docker: DockerAccess;
  virsh: Virsh;
  /** PATH and the rest for the virsh run in a pty. */
  env: NodeJS.ProcessEnv;
}

export interface RaceArgs {
  image: string;
  vm: { uri: string; name: string };
  runs: number;
}

/** What the race's container prints: its ready line, the first and only output. */
export const containerReadyLine = 'isolab-race-ready';
/** From create to the ready line; a container from a local image needs well under a second. */
export const containerReadyTimeoutMs = 60_000;

// The image's own entrypoint is replaced: the race times the container's start, not an entrypoint script.
const entrypoint = ['sh'];
const command = ['-c', `echo ${containerReadyLine}`];

function containerRaceCommands(image: string, name: string): string[] {
  return [
    ['docker', 'run', '--name', name, '--label', `${labContainerLabel}=race`, '--entrypoint', ...entrypoint, image, ...command],
    ['docker', 'rm', '-f', name],
  ].map(commandLine);
}

function imageMissing(image: string, detail?: string): AppError {
  return new AppError('NOT_FOUND', `Image ${image} is not here: pull it first, then run the race`, {
    ...(detail ? { detail } : {}),
    fix: { text: `Pull ${image} on the Images page, then run the race again.`, command: `docker pull ${image}` },
  });
}

async function requireImage(docker: DockerAccess, image: string): Promise<void> {
  await docker.withEngine(`Looking up image ${image}`, async (engine) => {
    try {
      await engine.getImage(image).inspect();
    } catch (error) {
      if (dockerStatus(error) === 404) throw imageMissing(image, engineMessage(error));
      throw error;
    }
  });
}

/** `work`, or its signal's reason as soon as the signal aborts (the work itself goes on; the caller cleans up). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Resolves when the container printed its ready line; rejects when its output ended without it. */
function watchOutput(engine: Docker, stream: Readable, onFirstOutput: () => void, onReady: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    // Registered before the demuxer: the first byte of the attach stream is the first output, header included.
    stream.once('data', onFirstOutput);
    engine.modem.demuxStream(stream, stdout, stderr);
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.split('\n').includes(containerReadyLine)) {
        onReady();
        resolve();
      }
    };
    stdout.on('data', collect);
    stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const ended = () =>
      reject(
        new AppError('INTERNAL', `The race's container ended without printing ${containerReadyLine}`, {
          detail: output.trim() || 'It printed nothing.',
          fix: { text: `The race runs sh -c 'echo ${containerReadyLine}' in the container: choose an image that has sh and echo.` },
        }),
      );
    stream.once('end', ended);
    stream.once('close', ended);
    stream.once('error', (error) => reject(error));
  });
}

/**
 * One start of a fresh container, attached before it starts as `docker run` does. Phases: create (the engine made it),
 * start (the engine said it started, or its first output proved it, whichever came first), first-output (the first
 * byte of the attach stream), ready (its ready line; the container prints nothing else, so this is its first line).
 */
async function raceContainerOnce(docker: DockerAccess, image: string, name: string, run: number, onPhase: (phase: RacePhase, atMs: number) => void, signal: AbortSignal): Promise<RaceRun> {
  const recorder = createPhaseRecorder(onPhase);
  const timeout = new AppError('TIMEOUT', `The race's container did not print its ready line within ${containerReadyTimeoutMs / 1000} s`);
  const runSignal = AbortSignal.any([signal, AbortSignal.timeout(containerReadyTimeoutMs)]);
  const reason = () => (signal.aborted ? raceStopped() : timeout);
  let error: AppError | undefined;
  try {
    await docker.withEngine(`Starting a race container from ${image}`, async (engine) => {
      const t0 = performance.now();
      const clock = () => performance.now() - t0;
      const creating = engine.createContainer({
        name,
        Image: image,
        Entrypoint: entrypoint,
        Cmd: command,
        Labels: { [labContainerLabel]: 'race' },
        AttachStdout: true,
        AttachStderr: true,
      });
      let stream: Readable | undefined;
      try {
        const container = await untilAborted(creating, runSignal).catch((failure: unknown) => {
          if (runSignal.aborted) throw reason();
          if (dockerStatus(failure) === 404 && /no such image/i.test(engineMessage(failure))) throw imageMissing(image, engineMessage(failure));
          throw failure;
        });
        recorder.mark('create', clock());
        stream = (await untilAborted(container.attach({ stream: true, stdout: true, stderr: true }), runSignal)) as unknown as Readable;
        const firstOutput = () => {
          recorder.mark('start', clock());
          recorder.mark('first-output', clock());
        };
        const ready = watchOutput(engine, stream, firstOutput, () => recorder.mark('ready', clock()));
        const started = container.start().then(() => void recorder.mark('start', clock()));
        await untilAborted(Promise.all([started, ready]), runSignal).catch((failure: unknown) => {
          throw runSignal.aborted ? reason() : failure;
        });
      } finally {
        stream?.destroy();
        // A create still in flight when the run stopped may yet make the container: wait for it, then remove.
        if (await creating.then(() => true, () => false)) await removeLabContainer(docker, name);
      }
    });
  } catch (failure) {
    error = dockerError(failure, `Starting a race container from ${image}`);
  }
  if (signal.aborted) throw raceStopped();
  const readyBy = recorder.phases.ready === undefined ? {} : { readyBy: `ready line: ${containerReadyLine}` };
  return { run, phases: recorder.phases, ...readyBy, ...(error ? { error: error.toWire() } : {}) };
}

/** VMs a race is starting and stopping now: a second race on the same one would find it running half the time. */
const racingVms = new Set<string>();

/**
 * Starts a fresh container from `image` and the shut-off VM `runs` times each, one subject at a time: the machine may
 * have two cores, and a container starting while QEMU boots would measure the contention, not the start. Runs
 * alternate (container, VM, container, …) so that a change in the machine's load falls on both alike. Each container
 * is removed and the VM forced off after its run, also on failure; an abort stops at once, cleans up, then rejects.
 */
export async function runStartRace(deps: RaceDeps, args: RaceArgs, onEvent: (event: RaceEvent) => void, signal: AbortSignal): Promise<RaceResult> {
  const key = `${args.vm.uri} ${args.vm.name}`;
  if (racingVms.has(key)) {
    throw new AppError('CONFLICT', `A start-time race is already starting VM ${args.vm.name}`, { fix: { text: 'Wait for that race to finish, or stop it.' } });
  }
  racingVms.add(key);
  try {
    await requireImage(deps.docker, args.image);
    const vm = await prepareRaceVm(deps.virsh, args.vm.uri, args.vm.name);
    const names = Array.from({ length: args.runs }, () => `isolab-race-${randomBytes(4).toString('hex')}`);
    const result: RaceResult = {
      runs: args.runs,
      container: [],
      vm: [],
      median: { container: {}, vm: {} },
      commands: { container: containerRaceCommands(args.image, names[0] ?? 'isolab-race'), vm: vmRaceCommands(vm) },
    };
    const phaseEvents = (subject: 'container' | 'vm', run: number) => (phase: RacePhase, atMs: number) => onEvent({ type: 'phase', subject, run, phase, atMs });
    for (const [index, name] of names.entries()) {
      const run = index + 1;
      if (signal.aborted) throw raceStopped();
      const container = await raceContainerOnce(deps.docker, args.image, name, run, phaseEvents('container', run), signal);
      result.container.push(container);
      onEvent({ type: 'run', subject: 'container', result: container });
      if (signal.aborted) throw raceStopped();
      const started = await raceVmOnce(deps, vm, run, phaseEvents('vm', run), signal);
      result.vm.push(started);
      onEvent({ type: 'run', subject: 'vm', result: started });
    }
    result.median = { container: phaseMedians(result.container), vm: phaseMedians(result.vm) };
    onEvent({ type: 'done', result });
    return result;
  } finally {
    racingVms.delete(key);
  }
}
