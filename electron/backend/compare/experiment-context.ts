// What a guided experiment runs with: the engines and shells it is given (ExperimentDeps), its arguments, its
// step recorder, the cleanups it leaves behind, and checks that its subjects exist. Never imports electron.
import type { ExperimentId, HostView, RaceEvent, RaceResult } from '@shared/compare-types';
import { AppError } from '@shared/errors';
import type { VmState } from '@shared/vm-types';
import { toAppError } from '../app-errors';
import { containerLabel } from '../docker/containers';
import type { DockerAccess } from '../docker/docker-access';
import { dockerStatus, engineMessage } from '../docker/docker-errors';
import { type Findings, shellLine, type StepRecorder, throwIfCancelled } from './experiment-steps';
import type { SubjectShell } from './subject-shell';

export interface VmRef {
  uri: string;
  name: string;
}

export interface ExperimentArgs {
  id: ExperimentId;
  image?: string;
  container?: string;
  vm?: VmRef;
}

export interface ExperimentDeps {
  docker: DockerAccess;
  hostShell(): SubjectShell;
  containerShell(id: string, name: string): SubjectShell;
  /** A shell in the VM's guest (agent or serial console); rejects with the reason and fix when none answers. */
  vmShell(vm: VmRef, signal: AbortSignal): Promise<SubjectShell>;
  race(args: { image: string; vm: VmRef; runs: number }, onEvent: (event: RaceEvent) => void, signal: AbortSignal): Promise<RaceResult>;
  hostView(args: { container?: string; vm?: VmRef }, signal: AbortSignal): Promise<HostView>;
  /** The VM as its detail page reads it: state, addresses, acceleration. */
  vmInfo(vm: VmRef): Promise<VmInfo>;
  /** How the names of the containers experiments make begin; "isolab-lab-" unless given (tests use their prefix). */
  containerNamePrefix?: string;
}

export interface VmInfo {
  state: VmState;
  /** IPv4 and IPv6 addresses from the DHCP lease and the guest agent, as the VM's page shows them. */
  addresses: string[];
  acceleration: 'kvm' | 'tcg' | 'other';
}

export interface ExperimentOutcome {
  conclusion: string;
  findings: Findings;
}

export interface ExperimentRun {
  deps: ExperimentDeps;
  args: ExperimentArgs;
  steps: StepRecorder;
  signal: AbortSignal;
  /** Registers a cleanup that runs when the experiment ends, however it ends (newest first). */
  defer(cleanup: () => Promise<void> | void): void;
}

export interface ImageFacts {
  /** What the user chose (a reference or an id). */
  reference: string;
  id: string;
  sizeBytes: number;
}

export interface ContainerFacts {
  id: string;
  name: string;
  image: string;
}

/** The local image, or NOT_FOUND with the pull command: experiments never pull. */
export async function requireImage(docker: DockerAccess, reference: string): Promise<ImageFacts> {
  return docker.withEngine(`Reading image ${reference}`, async (engine) => {
    try {
      const image = (await engine.getImage(reference).inspect()) as { Id: string; Size: number };
      return { reference, id: image.Id, sizeBytes: image.Size };
    } catch (error) {
      if (dockerStatus(error) !== 404) throw error;
      throw new AppError('NOT_FOUND', `Image ${reference} is not here: pull it first`, {
        detail: engineMessage(error),
        fix: { text: `Pull ${reference} on the Images page, then run the experiment again.`, command: `docker pull ${reference}` },
      });
    }
  });
}

/** The chosen container, which must be running for a command to run in it. */
export async function requireRunningContainer(docker: DockerAccess, idOrName: string): Promise<ContainerFacts> {
  const facts = await docker.withEngine(`Reading container ${containerLabel(idOrName)}`, async (engine) => {
    try {
      return (await engine.getContainer(idOrName).inspect()) as unknown as { Id: string; Name: string; Config: { Image: string }; State: { Running: boolean } };
    } catch (error) {
      if (dockerStatus(error) !== 404) throw error;
      throw new AppError('NOT_FOUND', `There is no container ${containerLabel(idOrName)}`, {
        detail: engineMessage(error),
        fix: { text: 'Choose a running container from the list, or an image to start one from.' },
      });
    }
  });
  const name = facts.Name.replace(/^\//, '');
  if (!facts.State.Running) {
    throw new AppError('CONFLICT', `Container ${name} is not running, so no command can run in it`, {
      fix: { text: `Start ${name} on the Containers page, or choose a running container.`, command: `docker start ${name}` },
    });
  }
  return { id: facts.Id, name, image: facts.Config.Image };
}

/** The image the container steps start from: the one chosen, else the chosen container's own. */
export async function imageForContainers(run: ExperimentRun): Promise<ImageFacts | undefined> {
  const { docker } = run.deps;
  if (run.args.image) return requireImage(docker, run.args.image);
  if (run.args.container) return requireImage(docker, (await requireRunningContainer(docker, run.args.container)).image);
  return undefined;
}

/** A shell in the chosen VM's guest, closed when the experiment ends; undefined when no VM was chosen. */
export async function openGuestShell(run: ExperimentRun): Promise<SubjectShell | undefined> {
  if (!run.args.vm) return undefined;
  const shell = await run.deps.vmShell(run.args.vm, run.signal);
  run.defer(() => shell.close());
  return shell;
}

/** Fails unless the experiment has at least one side to run: a container side or a VM. */
export function requireSomeSubject(run: ExperimentRun, hasContainerSide: boolean, containerWhat: string): void {
  if (hasContainerSide || run.args.vm) return;
  throw new AppError('INVALID_ARGUMENT', `This experiment needs ${containerWhat}, a VM, or both`, {
    fix: { text: `Choose ${containerWhat} and a running VM above, then run the experiment again.` },
  });
}

/** The chosen VM's facts; CONFLICT unless it runs, since the experiment talks to it. */
export async function requireRunningVm(run: ExperimentRun, why: string): Promise<{ vm: VmRef; info: VmInfo }> {
  const vm = requireVm(run, why);
  const info = await run.deps.vmInfo(vm);
  if (info.state !== 'running') {
    throw new AppError('CONFLICT', `VM ${vm.name} is ${info.state === 'shutoff' ? 'shut off' : info.state}: this experiment needs it running`, {
      fix: { text: `Start ${vm.name} (or choose a running VM), then run the experiment again.`, command: shellLine(['virsh', '--connect', vm.uri, 'start', vm.name]) },
    });
  }
  return { vm, info };
}

export function requireVm(run: ExperimentRun, why: string): VmRef {
  if (run.args.vm) return run.args.vm;
  throw new AppError('INVALID_ARGUMENT', `This experiment needs a VM: ${why}`, { fix: { text: 'Choose a VM above, then run the experiment again.' } });
}

/** A fresh name for a container the experiment makes. */
export function labContainerName(run: ExperimentRun): string {
  return `${run.deps.containerNamePrefix ?? 'isolab-lab-'}${run.args.id}-${Math.random().toString(16).slice(2, 8)}`;
}

/** A side of an experiment: what it measured, or why it could not, or that it was not chosen. */
export type Side<T> = { state: 'measured'; value: T } | { state: 'failed'; error: string } | { state: 'absent' };

/** Measured when there is a value and no error; otherwise failed with the error's message. */
export function sideOf<T>(value: T | undefined, error: AppError | undefined): Side<T> {
  if (value !== undefined && !error) return { state: 'measured', value };
  return failedSide(error);
}

export function failedSide(error: AppError | undefined): { state: 'failed'; error: string } {
  return { state: 'failed', error: error?.message ?? 'no value was read' };
}

/** Sentences for the sides that were not chosen or failed, container first (`containerChoice`: what to choose). */
export function missingSides(container: Side<unknown>, containerChoice: string, vm: Side<unknown>): string[] {
  const sentences: string[] = [];
  if (container.state === 'absent') sentences.push(`No ${containerChoice} was chosen, so the container side was not run.`);
  if (container.state === 'failed') sentences.push(`The container side failed: ${sentence(container.error)}`);
  if (vm.state === 'absent') sentences.push('No VM was chosen, so the VM side was not run.');
  if (vm.state === 'failed') sentences.push(`The VM side failed: ${sentence(vm.error)}`);
  return sentences;
}

/** An error message as the end of a sentence. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** The host's view of the subjects (no step of its own: the lab reads /proc and the engines, as its sources say). */
export async function readHostView(run: ExperimentRun, subjects: { container?: string; vm?: VmRef }): Promise<{ view?: HostView; error?: AppError }> {
  try {
    return { view: await run.deps.hostView(subjects, run.signal) };
  } catch (error) {
    throwIfCancelled(run.signal);
    return { error: toAppError(error, 'Reading the host view') };
  }
}

export function hostShell(run: ExperimentRun): SubjectShell {
  const shell = run.deps.hostShell();
  run.defer(() => shell.close());
  return shell;
}

