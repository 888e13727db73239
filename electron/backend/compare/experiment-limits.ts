// Guided experiments 3 and 4: a container hitting the memory and process limits the lab sets on it (OOM kill,
// refused forks), against a VM's guest whose own kernel handles both inside the VM's fixed size. Everything
// started here ends by itself and is removed. Never imports electron.
import type { AppError } from '@shared/errors';
import { toAppError } from '../app-errors';
import {
  type ExperimentOutcome,
  type ExperimentRun,
  failedSide,
  hostShell,
  imageForContainers,
  labContainerName,
  missingSides,
  openGuestShell,
  readHostView,
  requireSomeSubject,
  type Side,
  sideOf,
} from './experiment-context';
import { allocationOutcome, formatBytes, lastLine, readForkFlood, readStatusFields, type AllocationOutcome, type ForkFlood } from './experiment-findings';
import { type EventWatch, type ExitState, labRunCommand, type LabContainerSpec, readExitState, removeLabContainer, runContainerStep, runLabContainer, watchContainerEvents } from './experiment-lab-containers';
import { type Findings, runShellStep, runStep, shellLine, throwIfCancelled } from './experiment-steps';
import type { SubjectShell } from './subject-shell';

const mib = 1024 * 1024;
const containerTimeoutMs = 60_000;
const guestTimeoutMs = 180_000;
const hostTimeoutMs = 15_000;

/** The container's limit and what it tries to allocate: a 64 MiB dd buffer under 32 MiB, swap included. */
export const memoryLimit = { memory: '32m', memorySwap: '32m', bufferMiB: 64 };
export const pidsLimit = 32;
const floodSize = 100;

export function ddCommand(bufferMiB: number): string[] {
  return ['dd', 'if=/dev/zero', 'of=/dev/null', `bs=${bufferMiB}M`, 'count=1'];
}

export interface MemoryFindings {
  container: Side<{ exitCode: number; oomKilled: boolean; oomEvent: boolean }>;
  vm: Side<{
    memoryBytes: number;
    requestedBytes: number;
    outcome: AllocationOutcome;
    exitCode: number;
    message: string;
    rssBeforeBytes?: number;
    rssAfterBytes?: number;
    peakRssBytes?: number;
  }>;
}

function containerMemorySentence(seen: { exitCode: number; oomKilled: boolean; oomEvent: boolean }): string {
  const asked = `dd asked for a ${memoryLimit.bufferMiB} MiB buffer under a ${memoryLimit.memory.replace('m', ' MiB')} limit (swap included)`;
  if (seen.exitCode === 137 && seen.oomKilled) {
    return (
      `In the container, ${asked}: the host kernel's OOM killer ended it as soon as the container's cgroup was full (exit code 137 = killed by SIGKILL), ` +
      `the engine recorded OOMKilled=true${seen.oomEvent ? " and sent an 'oom' event" : ", though no 'oom' event reached the lab"}. The limit is enforced by the kernel the host and container share.`
    );
  }
  return `In the container, ${asked}, yet it was not OOM-killed: exit code ${seen.exitCode}, OOMKilled=${seen.oomKilled}${seen.oomEvent ? ", with an 'oom' event" : ', no oom event'}.`;
}

function vmMemorySentence(seen: Extract<MemoryFindings['vm'], { state: 'measured' }>['value']): string {
  const asked = `dd asked the guest for ${formatBytes(seen.requestedBytes)}, more than the whole VM (${formatBytes(seen.memoryBytes)})`;
  const verdicts: Record<AllocationOutcome, string> = {
    refused: `the guest's own kernel refused the allocation ("${seen.message}", exit code ${seen.exitCode})`,
    'oom-killed': `the guest's own OOM killer ended it inside the VM (exit code ${seen.exitCode})`,
    completed: `it completed (exit code 0): the guest found that much memory`,
    failed: `it failed with exit code ${seen.exitCode} ("${seen.message}")`,
  };
  let host = '';
  if (seen.rssBeforeBytes !== undefined && seen.rssAfterBytes !== undefined) {
    const growth = seen.rssAfterBytes - seen.rssBeforeBytes;
    host =
      ` On the host, the qemu process went from ${formatBytes(seen.rssBeforeBytes)} to ${formatBytes(seen.rssAfterBytes)} resident` +
      (seen.peakRssBytes === undefined ? '' : ` (at most ${formatBytes(seen.peakRssBytes)} over its whole life)`) +
      (growth < seen.requestedBytes && seen.outcome !== 'completed'
        ? `: it did not grow by what the guest asked for, since the guest can only use the ${formatBytes(seen.memoryBytes)} the VM was given.`
        : '.');
  }
  return `In the VM, ${asked}: ${verdicts[seen.outcome]}.${host}`;
}

export function memoryConclusion(found: MemoryFindings): ExperimentOutcome {
  const sentences: string[] = [];
  const findings: Findings = {};
  if (found.container.state === 'measured') {
    const seen = found.container.value;
    Object.assign(findings, { containerExitCode: seen.exitCode, oomKilled: String(seen.oomKilled), oomEvent: seen.oomEvent ? 'seen' : 'not seen' });
    sentences.push(containerMemorySentence(seen));
  }
  if (found.vm.state === 'measured') {
    const seen = found.vm.value;
    Object.assign(findings, { vmMemoryBytes: seen.memoryBytes, guestRequestBytes: seen.requestedBytes, guestOutcome: seen.outcome, guestExitCode: seen.exitCode });
    if (seen.rssBeforeBytes !== undefined) findings.qemuRssBeforeBytes = seen.rssBeforeBytes;
    if (seen.rssAfterBytes !== undefined) findings.qemuRssAfterBytes = seen.rssAfterBytes;
    if (seen.peakRssBytes !== undefined) findings.qemuPeakRssBytes = seen.peakRssBytes;
    sentences.push(vmMemorySentence(seen));
  }
  sentences.push(...missingSides(found.container, 'image', found.vm));
  return { conclusion: sentences.join(' '), findings };
}

async function containerMemory(run: ExperimentRun, image: string): Promise<MemoryFindings['container']> {
  const { deps, steps, signal } = run;
  const { docker } = deps;
  const spec: LabContainerSpec = {
    name: labContainerName(run),
    image,
    experiment: run.args.id,
    cmd: ddCommand(memoryLimit.bufferMiB),
    memory: memoryLimit.memory,
    memorySwap: memoryLimit.memorySwap,
    pidsLimit: 64,
  };
  run.defer(() => removeLabContainer(docker, spec.name));
  // Watched from before the container exists, so that none of its events are missed; shown after the run as the
  // `docker events` command that prints the same events again (the engine keeps them).
  const since = Math.floor(Date.now() / 1000);
  let eventLines = '';
  let watch: EventWatch | undefined;
  let watchError: AppError | undefined;
  try {
    watch = await watchContainerEvents(docker, spec.name, signal, (line) => {
      eventLines += line;
    });
    run.defer(() => watch?.stop());
  } catch (error) {
    throwIfCancelled(signal);
    watchError = toAppError(error, "Watching the engine's events");
  }
  const ran = await runStep(steps, { subject: 'container', title: `Allocate ${memoryLimit.bufferMiB} MiB under a 32 MiB limit`, command: labRunCommand(spec, 'keep') }, signal, async (step) => {
    const result = await runLabContainer(docker, spec, { timeoutMs: containerTimeoutMs, signal, onOutput: step.output });
    return { value: result, exitCode: result.exitCode, findings: { exitCode: result.exitCode } };
  });
  let state: { value?: ExitState; error?: AppError } = {};
  if (ran.value) {
    const inspectCommand = shellLine(['docker', 'inspect', '--format', '{{.State.ExitCode}} {{.State.OOMKilled}}', spec.name]);
    state = await runStep(steps, { subject: 'host', title: 'What the engine recorded', command: inspectCommand }, signal, async (step) => {
      const exit = await readExitState(docker, spec.name);
      step.output(`${exit.exitCode} ${exit.oomKilled}\n`);
      return { value: exit, exitCode: 0, findings: { exitCode: exit.exitCode, oomKilled: String(exit.oomKilled) } };
    });
  }
  await runStep(steps, { subject: 'host', title: 'Remove the container', command: shellLine(['docker', 'rm', spec.name]) }, signal, async (step) => {
    await removeLabContainer(docker, spec.name);
    step.output(`${spec.name}\n`);
    return { value: undefined, exitCode: 0, findings: {} };
  });
  const oomEvent = watch ? await watch.seen('oom', 2000) : false;
  if (watch) await watch.seen('destroy', 2000);
  watch?.stop();
  const until = Math.ceil(Date.now() / 1000);
  const eventsCommand = shellLine(['docker', 'events', '--since', String(since), '--until', String(until), '--filter', `container=${spec.name}`]);
  const eventsStep = steps.begin('host', "The engine's events about the container", eventsCommand);
  eventsStep.output(eventLines);
  eventsStep.done(watchError ? null : 0, watch ? { oomEvent: oomEvent ? 'seen' : 'not seen', actions: watch.events.map((event) => event.Action).join(' ') } : {}, watchError);
  if (!ran.value) return failedSide(ran.error);
  if (!state.value) return failedSide(state.error);
  return sideOf({ exitCode: state.value.exitCode, oomKilled: state.value.oomKilled, oomEvent }, undefined);
}

async function qemuStatusStep(run: ExperimentRun, pid: number, when: string): Promise<Record<string, number>> {
  const script = `grep -E '^(VmRSS|VmHWM):' /proc/${pid}/status`;
  const result = await runShellStep(
    run.steps,
    hostShell(run),
    { subject: 'host', title: `The qemu process ${when}`, script, command: script, timeoutMs: hostTimeoutMs, read: (output) => readStatusFields(output.stdout) },
    run.signal,
  );
  return result.run ? readStatusFields(result.run.stdout) : {};
}

async function vmMemory(run: ExperimentRun, guest: SubjectShell): Promise<MemoryFindings['vm']> {
  const vm = run.args.vm!;
  const read = await readHostView(run, { vm });
  if (read.error || !read.view?.vm) return failedSide(read.error);
  const { memoryBytes, qemu } = read.view.vm;
  const requestedMiB = Math.ceil(memoryBytes / mib) + 64;
  const before = qemu ? await qemuStatusStep(run, qemu.hostPid, 'before') : {};
  const script = `grep MemTotal /proc/meminfo; ${shellLine(ddCommand(requestedMiB))}`;
  const inGuest = await runShellStep(
    run.steps,
    guest,
    {
      subject: 'vm',
      title: `Allocate ${requestedMiB} MiB in a ${formatBytes(memoryBytes)} VM`,
      script,
      timeoutMs: guestTimeoutMs,
      read: (output) => ({ exitCode: output.exitCode, outcome: allocationOutcome(output.exitCode, `${output.stdout}${output.stderr}`) }),
    },
    run.signal,
  );
  if (!inGuest.run || inGuest.error) return failedSide(inGuest.error);
  const after = qemu ? await qemuStatusStep(run, qemu.hostPid, 'after') : {};
  const output = `${inGuest.run.stdout}${inGuest.run.stderr}`;
  return sideOf(
    {
      memoryBytes,
      requestedBytes: requestedMiB * mib,
      outcome: allocationOutcome(inGuest.run.exitCode, output),
      exitCode: inGuest.run.exitCode,
      message: lastLine(inGuest.run.stderr) || lastLine(output),
      ...(before.VmRSS === undefined ? {} : { rssBeforeBytes: before.VmRSS }),
      ...(after.VmRSS === undefined ? {} : { rssAfterBytes: after.VmRSS }),
      ...(after.VmHWM === undefined ? {} : { peakRssBytes: after.VmHWM }),
    },
    undefined,
  );
}

export async function memoryLimitExperiment(run: ExperimentRun): Promise<ExperimentOutcome> {
  const image = await imageForContainers(run);
  requireSomeSubject(run, image !== undefined, 'an image');
  const guest = await openGuestShell(run);
  const container: MemoryFindings['container'] = image ? await containerMemory(run, image.reference) : { state: 'absent' };
  const vm: MemoryFindings['vm'] = guest ? await vmMemory(run, guest) : { state: 'absent' };
  return memoryConclusion({ container, vm });
}

/**
 * Starts `size` background sleeps, each from a short-lived `sh -c` so that a refused fork ends only that shell
 * (a shell whose fork fails exits), then counts what started, what was refused and the processes visible.
 * Builtins only after the flood: at the limit even `cat` could not start.
 */
export function forkFloodScript(size: number): string {
  return [
    'started=0; refused=0; i=0',
    `while [ $i -lt ${size} ]; do`,
    '  i=$((i+1))',
    '  if sh -c "sleep 5 >/dev/null 2>&1 &"; then started=$((started+1)); else refused=$((refused+1)); fi',
    'done',
    'set -- /proc/[0-9]*',
    'echo "started=$started"; echo "refused=$refused"; echo "processes=$#"',
    'for f in /sys/fs/cgroup/pids.max /sys/fs/cgroup/pids/pids.max; do [ -r $f ] && read -r v < $f && echo "pids.max=$v"; done',
    'for f in /sys/fs/cgroup/pids.events /sys/fs/cgroup/pids/pids.events; do [ -r $f ] && read -r v < $f && echo "pids.events=$v"; done',
    'true',
  ].join('\n');
}

export interface PidsFindings {
  container: Side<ForkFlood>;
  vm: Side<ForkFlood>;
}

function floodFindings(flood: ForkFlood, prefix: string): Findings {
  const findings: Findings = { [`${prefix}Started`]: flood.started, [`${prefix}Refused`]: flood.refused, [`${prefix}Processes`]: flood.processes };
  if (flood.pidsMax !== undefined) findings[`${prefix}PidsLimit`] = flood.pidsMax;
  if (flood.refusedByCgroup !== undefined) findings[`${prefix}RefusedByCgroup`] = flood.refusedByCgroup;
  return findings;
}

export function pidsConclusion(found: PidsFindings): ExperimentOutcome {
  const sentences: string[] = [];
  let findings: Findings = {};
  if (found.container.state === 'measured') {
    const flood = found.container.value;
    findings = { ...findings, ...floodFindings(flood, 'container') };
    const limit = flood.pidsMax ?? pidsLimit;
    sentences.push(
      `With --pids-limit ${limit}, the container started ${flood.started} of ${floodSize} background processes and ${flood.refused} forks were refused ("can't fork")` +
        (flood.refusedByCgroup === undefined ? '' : `, ${flood.refusedByCgroup} of them counted by the pids cgroup`) +
        `; right after the flood it held ${flood.processes} processes, PID 1 included` +
        (flood.processes <= limit ? `, within the limit: the host kernel stops a fork flood at the container's cgroup, before it reaches the host.` : `, more than the limit of ${limit}.`),
    );
  }
  if (found.vm.state === 'measured') {
    const flood = found.vm.value;
    findings = { ...findings, ...floodFindings(flood, 'vm') };
    sentences.push(
      `In the VM, the same loop started ${flood.started} of ${floodSize} (${flood.refused} refused; ${flood.processes} processes visible): no limit was set there, so the guest's own kernel handled its own processes, and whatever runs inside stays within the VM's CPUs and memory on the host.`,
    );
  }
  sentences.push(...missingSides(found.container, 'image', found.vm));
  return { conclusion: sentences.join(' '), findings };
}

export async function pidsLimitExperiment(run: ExperimentRun): Promise<ExperimentOutcome> {
  const image = await imageForContainers(run);
  requireSomeSubject(run, image !== undefined, 'an image');
  const guest = await openGuestShell(run);
  const script = forkFloodScript(floodSize);
  let container: PidsFindings['container'] = { state: 'absent' };
  if (image) {
    const spec: LabContainerSpec = { name: labContainerName(run), image: image.reference, experiment: run.args.id, cmd: ['sh', '-c', script], pidsLimit };
    const result = await runContainerStep(run, spec, `Start ${floodSize} processes under --pids-limit ${pidsLimit}`, containerTimeoutMs, (output) => ({ ...readForkFlood(output) }));
    container = sideOf(result.error ? undefined : readForkFlood(result.output), result.error);
  }
  let vm: PidsFindings['vm'] = { state: 'absent' };
  if (guest) {
    const result = await runShellStep(
      run.steps,
      guest,
      { subject: 'vm', title: `Start ${floodSize} processes in the VM`, script, timeoutMs: guestTimeoutMs, read: (output) => ({ ...readForkFlood(output.stdout) }) },
      run.signal,
    );
    vm = sideOf(result.run && !result.error ? readForkFlood(result.run.stdout) : undefined, result.error);
  }
  return pidsConclusion({ container, vm });
}
