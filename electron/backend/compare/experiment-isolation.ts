// Guided experiments 1 and 2: which kernel each subject runs (uname, /proc/version), and what the host sees of
// each (a container's processes among its own, a VM as one qemu process). Never imports electron.
import type { CompareSubject, HostView } from '@shared/compare-types';
import { AppError } from '@shared/errors';
import {
  type ContainerFacts,
  type ExperimentOutcome,
  type ExperimentRun,
  failedSide,
  hostShell,
  labContainerName,
  missingSides,
  openGuestShell,
  readHostView,
  requireImage,
  requireRunningContainer,
  requireSomeSubject,
  type Side,
  sideOf,
} from './experiment-context';
import { counted, countProcessRows, formatBytes, readKernel, readStatusFields } from './experiment-findings';
import { labRunCommand, removeLabContainer, runContainerStep, startLabContainer } from './experiment-lab-containers';
import { type Findings, runShellStep, runStep } from './experiment-steps';
import type { SubjectShell } from './subject-shell';

const kernelScript = 'uname -r; cat /proc/version';
const hostTimeoutMs = 15_000;
const containerTimeoutMs = 30_000;
/** Commands in a software-emulated guest take many times longer than on the host. */
const guestTimeoutMs = 120_000;

export interface KernelFindings {
  host?: string;
  container: Side<{ release: string; version: string }>;
  vm: Side<{ release: string; version: string }>;
}

export function kernelConclusion(found: KernelFindings): ExperimentOutcome {
  const sentences: string[] = [];
  const findings: Findings = {};
  const host = found.host;
  if (host) findings.hostRelease = host;
  else sentences.push("The host's kernel could not be read, so nothing was compared with it.");
  if (found.container.state === 'measured') {
    const release = found.container.value.release;
    findings.containerRelease = release;
    if (host) findings.sameKernel = release === host ? 'yes' : 'no';
    sentences.push(
      !host
        ? `The container reported kernel ${release}.`
        : release === host
          ? `The container reported kernel ${release}, the host's own: a container's processes run on the host's kernel, isolated by namespaces and cgroups, with no kernel of their own.`
          : `The container reported kernel ${release} while the host runs ${host}: the Docker engine here runs inside a VM of its own (as Docker Desktop does), so containers share that VM's kernel rather than this machine's.`,
    );
  }
  if (found.vm.state === 'measured') {
    const release = found.vm.value.release;
    findings.vmRelease = release;
    if (host) findings.vmSameRelease = release === host ? 'yes' : 'no';
    sentences.push(
      release === host
        ? `The VM reported ${release} too, but that is its own copy of the same release, booted inside the VM: a VM always runs its own kernel.`
        : `The VM reported kernel ${release}: its own kernel, booted inside the VM${host ? ", not the host's" : ''}.`,
    );
  }
  sentences.push(...missingSides(found.container, 'container or image', found.vm));
  return { conclusion: sentences.join(' '), findings };
}

function kernelSide(result: { findings: Findings; error?: AppError }): KernelFindings['vm'] {
  const { release, version } = result.findings;
  return sideOf(typeof release === 'string' && typeof version === 'string' ? { release, version } : undefined, result.error);
}

/** The container side's subject: the running container chosen, else one started from the image for this run. */
async function containerSubject(run: ExperimentRun): Promise<{ existing?: ContainerFacts; image?: string }> {
  const { docker } = run.deps;
  if (run.args.container) return { existing: await requireRunningContainer(docker, run.args.container) };
  if (run.args.image) return { image: (await requireImage(docker, run.args.image)).reference };
  return {};
}

/** `uname -r; cat /proc/version` as one step in a subject's shell; the host's is shown as typed at its prompt. */
function kernelStep(run: ExperimentRun, shell: SubjectShell, subject: CompareSubject, timeoutMs: number) {
  const title = { host: "The host's kernel", container: "The container's kernel", vm: "The VM's kernel" }[subject];
  const command = subject === 'host' ? { command: kernelScript } : {};
  return runShellStep(run.steps, shell, { subject, title, script: kernelScript, ...command, timeoutMs, read: (output) => readKernel(output.stdout) }, run.signal);
}

export async function kernelExperiment(run: ExperimentRun): Promise<ExperimentOutcome> {
  const { deps } = run;
  const subject = await containerSubject(run);
  requireSomeSubject(run, Boolean(subject.existing || subject.image), 'a running container or an image');
  const guest = await openGuestShell(run);

  const host = await kernelStep(run, hostShell(run), 'host', hostTimeoutMs);
  let container: KernelFindings['container'] = { state: 'absent' };
  if (subject.existing) {
    const shell = deps.containerShell(subject.existing.id, subject.existing.name);
    run.defer(() => shell.close());
    container = kernelSide(await kernelStep(run, shell, 'container', containerTimeoutMs));
  } else if (subject.image) {
    const spec = { name: labContainerName(run), image: subject.image, experiment: run.args.id, cmd: ['sh', '-c', kernelScript] };
    container = kernelSide(await runContainerStep(run, spec, "The container's kernel", containerTimeoutMs, (output) => readKernel(output)));
  }
  const vm: KernelFindings['vm'] = guest ? kernelSide(await kernelStep(run, guest, 'vm', guestTimeoutMs)) : { state: 'absent' };
  const hostRelease = typeof host.findings.release === 'string' ? host.findings.release : undefined;
  return kernelConclusion({ ...(hostRelease ? { host: hostRelease } : {}), container, vm });
}

const psScript = 'ps 2>/dev/null || ls -d /proc/[0-9]*';

export interface HostSeesFindings {
  container: Side<{ inside: number; onHost: number; hostPids: number[]; pid1HostPid?: number }>;
  vm: Side<{ inside: number; qemuPid: number; qemuRssBytes: number; qemuThreads: number }>;
  hostProcesses?: number;
}

export function hostSeesConclusion(found: HostSeesFindings): ExperimentOutcome {
  const sentences: string[] = [];
  const findings: Findings = {};
  if (found.hostProcesses !== undefined) findings.hostProcesses = found.hostProcesses;
  if (found.container.state === 'measured') {
    const seen = found.container.value;
    Object.assign(findings, { containerProcessesInside: seen.inside, containerProcessesOnHost: seen.onHost, containerHostPids: seen.hostPids.join(' ') });
    if (seen.pid1HostPid !== undefined) findings.containerPid1HostPid = seen.pid1HostPid;
    sentences.push(
      `Inside the container, ps listed ${counted(seen.inside, 'process')}, itself and the shell that ran it included; ` +
        `the host found ${counted(seen.onHost, 'process')} of the container still running among its own ${found.hostProcesses ?? 'processes'}, ` +
        `as host ${seen.hostPids.length === 1 ? 'PID' : 'PIDs'} ${seen.hostPids.join(', ')}${seen.pid1HostPid === undefined ? '' : ` (the container's PID 1 is host PID ${seen.pid1HostPid})`}: ` +
        'a container is ordinary host processes, numbered anew in a PID namespace of their own.',
    );
  }
  if (found.vm.state === 'measured') {
    const seen = found.vm.value;
    Object.assign(findings, { vmProcessesInside: seen.inside, qemuPid: seen.qemuPid, qemuRssBytes: seen.qemuRssBytes, qemuThreads: seen.qemuThreads });
    sentences.push(
      `Inside the VM, ps listed ${counted(seen.inside, 'process')}, and the host sees none of them: only one qemu process (PID ${seen.qemuPid}, ${formatBytes(seen.qemuRssBytes)} resident, ${seen.qemuThreads} threads) that runs the whole VM, its kernel included.`,
    );
  }
  sentences.push(...missingSides(found.container, 'running container or image', found.vm));
  return { conclusion: sentences.join(' '), findings };
}

async function containerSide(run: ExperimentRun, subject: { existing?: ContainerFacts; image?: string }, hostCount: (count: number) => void): Promise<HostSeesFindings['container']> {
  const { deps, steps, signal } = run;
  let target = subject.existing;
  if (!target && subject.image) {
    // Sleeps a bounded time: the container ends by itself even if the experiment could not remove it.
    const spec = { name: labContainerName(run), image: subject.image, experiment: run.args.id, cmd: ['sleep', '600'] };
    run.defer(() => removeLabContainer(deps.docker, spec.name));
    const started = await runStep(steps, { subject: 'container', title: 'Start a container to look at', command: labRunCommand(spec, 'detach') }, signal, async (step) => {
      const created = await startLabContainer(deps.docker, spec);
      step.output(`${created.id}\n`);
      return { value: created, exitCode: 0, findings: { id: created.id.slice(0, 12) } };
    });
    if (!started.value) return failedSide(started.error);
    target = { id: started.value.id, name: spec.name, image: subject.image };
  }
  if (!target) return { state: 'absent' };
  const shell = deps.containerShell(target.id, target.name);
  run.defer(() => shell.close());
  const inside = await runShellStep(
    steps,
    shell,
    { subject: 'container', title: 'Processes inside the container', script: psScript, timeoutMs: containerTimeoutMs, read: (result) => ({ processes: countProcessRows(result.stdout) }) },
    signal,
  );
  if (inside.error || !inside.run) return failedSide(inside.error);
  const read = await readHostView(run, { container: target.id });
  if (read.error || !read.view?.container) return failedSide(read.error);
  const view = read.view as HostView & { container: NonNullable<HostView['container']> };
  const title = "The container's processes as the host sees them";
  hostCount(view.hostProcessCount);
  const rows = view.container.processes;
  const pids = rows.map((row) => row.hostPid);
  const script = `ps -o pid,user,rss,args -p ${pids.join(',')}; grep NSpid ${pids.map((pid) => `/proc/${pid}/status`).join(' ')}`;
  const onHost = await runShellStep(
    steps,
    hostShell(run),
    { subject: 'host', title, script, command: script, timeoutMs: hostTimeoutMs, read: () => ({ hostPids: pids.join(' '), hostProcesses: view.hostProcessCount }) },
    signal,
  );
  const pid1 = rows.find((row) => row.innerPid === 1)?.hostPid;
  return sideOf(
    { inside: countProcessRows(inside.run.stdout), onHost: rows.length, hostPids: pids, ...(pid1 === undefined ? {} : { pid1HostPid: pid1 }) },
    onHost.error,
  );
}

async function vmSide(run: ExperimentRun, guest: SubjectShell | undefined, hostCount: (count: number) => void): Promise<HostSeesFindings['vm']> {
  const { steps, signal, args } = run;
  if (!guest || !args.vm) return { state: 'absent' };
  const inside = await runShellStep(
    steps,
    guest,
    { subject: 'vm', title: 'Processes inside the VM', script: psScript, timeoutMs: guestTimeoutMs, read: (result) => ({ processes: countProcessRows(result.stdout) }) },
    signal,
  );
  if (inside.error || !inside.run) return failedSide(inside.error);
  const title = 'The VM as the host sees it';
  const read = await readHostView(run, { vm: args.vm });
  const qemu = read.view?.vm?.qemu;
  if (read.error || !read.view || !qemu) return failedSide(read.error ?? new AppError('NOT_FOUND', `No qemu process on this host runs ${args.vm.name}`));
  hostCount(read.view.hostProcessCount);
  const script = `ps -o pid,user,rss,nlwp,comm -p ${qemu.hostPid}; grep -E '^(VmRSS|Threads):' /proc/${qemu.hostPid}/status`;
  const onHost = await runShellStep(
    steps,
    hostShell(run),
    { subject: 'host', title, script, command: script, timeoutMs: hostTimeoutMs, read: (result) => ({ qemuPid: qemu.hostPid, ...readStatusFields(result.stdout) }) },
    signal,
  );
  const status = onHost.run ? readStatusFields(onHost.run.stdout) : {};
  return sideOf(
    { inside: countProcessRows(inside.run.stdout), qemuPid: qemu.hostPid, qemuRssBytes: status.VmRSS ?? qemu.rssBytes ?? 0, qemuThreads: status.Threads ?? qemu.threads },
    onHost.error,
  );
}

export async function hostSeesExperiment(run: ExperimentRun): Promise<ExperimentOutcome> {
  const subject = await containerSubject(run);
  requireSomeSubject(run, Boolean(subject.existing || subject.image), 'a running container or an image');
  const guest = await openGuestShell(run);
  let hostProcesses: number | undefined;
  const count = (value: number) => {
    hostProcesses = value;
  };
  const container = await containerSide(run, subject, count);
  const vm = await vmSide(run, guest, count);
  return hostSeesConclusion({ container, vm, ...(hostProcesses === undefined ? {} : { hostProcesses }) });
}
