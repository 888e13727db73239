// The Compare lab's probe runs: the subjects as the engines describe them, then every probe in every subject through
// its shell, each run reported as it finishes. CPU-bound probes run one subject at a time. Never imports electron.
import os from 'node:os';
import { probeIds, type CompareSubject, type CompareSubjects, type ProbeEvent, type ProbeId, type ProbeRun } from '@shared/compare-types';
import { AppError, type WireError } from '@shared/errors';
import type { VmDetail } from '@shared/vm-types';
import { messageOf, toAppError } from '../app-errors';
import { containerLabel } from '../docker/containers';
import type { DockerAccess } from '../docker/docker-access';
import { probeById, type Probe } from './probes';
import type { SubjectShell } from './subject-shell';

export interface ProbeRunDeps {
  docker: DockerAccess;
  vmDetail(uri: string, name: string): Promise<VmDetail>;
  hostShell(): SubjectShell;
  containerShell(id: string, name: string): SubjectShell;
  vmShell(vm: { uri: string; name: string }, signal: AbortSignal): Promise<SubjectShell>;
}

export interface ProbeArgs {
  container?: string | undefined;
  vm?: { uri: string; name: string } | undefined;
  probes?: ProbeId[] | undefined;
}

/** Probes whose figure is a time: run alone, so the subjects do not compete for the same cores. */
const timed: ReadonlySet<ProbeId> = new Set(['cpu-loop']);

function wire(error: unknown): WireError {
  return toAppError(error).toWire();
}

export async function probeRun(probe: Probe, subject: CompareSubject, shell: SubjectShell, signal: AbortSignal): Promise<ProbeRun> {
  const base = { probe: probe.id, subject, via: shell.via, command: shell.commandFor(probe.script), script: probe.script };
  const startedAt = Date.now();
  try {
    const result = await shell.run(probe.script, { timeoutMs: probe.timeoutMs, signal });
    const run: ProbeRun = { ...base, stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode, startedAt: result.startedAt, durationMs: result.durationMs };
    if (result.exitCode !== 0) {
      return { ...run, error: new AppError('INTERNAL', `The ${probe.id} probe exited with code ${result.exitCode} in the ${subject}`, { detail: result.stderr.trim() || undefined }).toWire() };
    }
    try {
      return { ...run, value: probe.parse(result.stdout) };
    } catch (error) {
      return { ...run, error: { code: 'INTERNAL', message: `The ${probe.id} probe's output in the ${subject} could not be read: ${messageOf(error)}` } };
    }
  } catch (error) {
    return { ...base, stdout: '', stderr: '', exitCode: -1, startedAt, durationMs: Date.now() - startedAt, error: wire(error) };
  }
}

async function describeContainer(docker: DockerAccess, id: string): Promise<NonNullable<CompareSubjects['container']>> {
  return docker.withEngine(`Reading container ${containerLabel(id)}`, async (engine) => {
    const facts = (await engine.getContainer(id).inspect()) as unknown as {
      Id: string;
      Name: string;
      Image: string;
      Config?: { Image?: string };
      State?: { Running?: boolean; Paused?: boolean };
    };
    if (!facts.State?.Running || facts.State.Paused) {
      throw new AppError('CONFLICT', `Container ${containerLabel(id)} is not running, so no probe can run in it`, {
        fix: { text: 'Start the container, or launch a lab container from an image.' },
      });
    }
    const info = (await engine.info()) as { KernelVersion?: string; OperatingSystem?: string };
    return {
      id: facts.Id,
      name: facts.Name.replace(/^\//, ''),
      image: facts.Config?.Image ?? facts.Image,
      imageId: facts.Image,
      engineKernel: info.KernelVersion ?? 'unknown',
      engineOs: info.OperatingSystem ?? 'unknown',
    };
  });
}

async function describeVm(
  deps: ProbeRunDeps,
  ref: { uri: string; name: string },
  signal: AbortSignal,
): Promise<{ subject: NonNullable<CompareSubjects['vm']>; shell?: SubjectShell }> {
  const [detail, opened] = await Promise.all([
    deps.vmDetail(ref.uri, ref.name),
    deps.vmShell(ref, signal).then(
      (shell) => ({ shell }),
      (error: unknown) => ({ error: wire(error) }),
    ),
  ]);
  const subject: NonNullable<CompareSubjects['vm']> = {
    uri: ref.uri,
    name: detail.name,
    domainType: detail.domainType,
    acceleration: detail.acceleration,
    vcpus: detail.vcpus,
    memoryBytes: detail.memoryBytes,
    ...('shell' in opened ? { via: opened.shell.via } : { error: opened.error }),
  };
  return 'shell' in opened ? { subject, shell: opened.shell } : { subject };
}

export async function runProbes(deps: ProbeRunDeps, args: ProbeArgs, emit: (event: ProbeEvent) => void, signal: AbortSignal): Promise<void> {
  const ids = args.probes ?? [...probeIds];
  const subjects: CompareSubjects = { host: { hostname: os.hostname(), kernelRelease: os.release() } };
  const shells = new Map<CompareSubject, SubjectShell>([['host', deps.hostShell()]]);
  let vmShell: SubjectShell | undefined;
  try {
    // The engines are asked at once: the VM's detail and its shell (agent ping, console) take the longest.
    const [container, vm] = await Promise.allSettled([
      args.container ? describeContainer(deps.docker, args.container) : undefined,
      args.vm ? describeVm(deps, args.vm, signal) : undefined,
    ]);
    // A VM shell opened while the container failed must still be closed (below, with the others).
    if (vm.status === 'fulfilled' && vm.value?.shell) vmShell = vm.value.shell;
    if (container.status === 'rejected') throw container.reason;
    if (vm.status === 'rejected') throw vm.reason;
    if (container.value) {
      subjects.container = container.value;
      shells.set('container', deps.containerShell(container.value.id, container.value.name));
    }
    if (vm.value) subjects.vm = vm.value.subject;
    if (vmShell) shells.set('vm', vmShell);
    emit({ type: 'subjects', subjects });
    const runAll = async (subject: CompareSubject, shell: SubjectShell, which: ProbeId[]) => {
      for (const id of which) {
        if (signal.aborted) return;
        emit({ type: 'run', run: await probeRun(probeById(id), subject, shell, signal) });
      }
    };
    const entries = [...shells.entries()];
    await Promise.all(entries.map(([subject, shell]) => runAll(subject, shell, ids.filter((id) => !timed.has(id)))));
    for (const [subject, shell] of entries) await runAll(subject, shell, ids.filter((id) => timed.has(id)));
    if (signal.aborted) throw new AppError('UNAVAILABLE', 'The probes were cancelled');
    emit({ type: 'done', finishedAt: Date.now() });
  } finally {
    for (const shell of new Set([...shells.values(), ...(vmShell ? [vmShell] : [])])) shell.close();
  }
}
