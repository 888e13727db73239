// Guided experiments 5 and 6: the start-time race (one run of each, phase by phase), and portability (one image,
// two commands, the same image ID; the VM's disk as a file on the host). Never imports electron.
import type { RaceEvent, RacePhase, RaceResult, RaceRun } from '@shared/compare-types';
import { AppError } from '@shared/errors';
import {
  type ExperimentOutcome,
  type ExperimentRun,
  failedSide,
  hostShell,
  imageForContainers,
  labContainerName,
  missingSides,
  readHostView,
  requireSomeSubject,
  requireVm,
  type Side,
  sideOf,
  type VmInfo,
} from './experiment-context';
import { formatBytes, formatMs, lastLine, readQemuImgInfo } from './experiment-findings';
import { runContainerStep } from './experiment-lab-containers';
import { type Findings, runShellStep, shellLine } from './experiment-steps';

const phaseNames: Record<RacePhase, string> = { create: 'created', start: 'started', 'first-output': 'first output', ready: 'ready' };

const phaseKeys: Record<RacePhase, string> = { create: 'createMs', start: 'startMs', 'first-output': 'firstOutputMs', ready: 'readyMs' };

/** Phase times as findings (`createMs`), each name prefixed when given (`containerCreateMs`). */
function phaseFindings(medians: Partial<Record<RacePhase, number>>, prefix = ''): Findings {
  return Object.fromEntries(
    Object.entries(medians).map(([phase, ms]) => {
      const key = phaseKeys[phase as RacePhase];
      return [prefix ? `${prefix}${key[0]!.toUpperCase()}${key.slice(1)}` : key, Math.round(ms)];
    }),
  );
}

/** When a subject was done: its last phase (ready, else first output) in ms, if it got there. */
function finishMs(medians: Partial<Record<RacePhase, number>>): number | undefined {
  return medians.ready ?? medians['first-output'];
}

export function raceConclusion(result: RaceResult, acceleration: VmInfo['acceleration'] | undefined): ExperimentOutcome {
  const container = finishMs(result.median.container);
  const vm = finishMs(result.median.vm);
  const findings: Findings = { ...phaseFindings(result.median.container, 'container'), ...phaseFindings(result.median.vm, 'vm') };
  const sentences: string[] = [];
  const containerRun = result.container[0];
  const vmRun = result.vm[0];
  if (container !== undefined) {
    const created = result.median.container.create;
    sentences.push(`From nothing to its first output, the container took ${formatMs(container)}${created === undefined ? '' : ` (created after ${formatMs(created)})`}: it starts processes on a kernel that is already running.`);
  } else {
    sentences.push(`The container did not get to its first output: ${containerRun?.error?.message ?? 'no phase was timed'}.`);
  }
  if (vm !== undefined) {
    const ratio = container !== undefined && container > 0 ? ` about ${Math.round(vm / container)} times as long` : '';
    sentences.push(`The VM took ${formatMs(vm)} to be ready${vmRun?.readyBy ? ` (${vmRun.readyBy})` : ''},${ratio}: it boots firmware and a whole kernel of its own first.`);
  } else {
    sentences.push(`The VM did not get to ready: ${vmRun?.error?.message ?? 'no phase was timed'}.`);
  }
  if (acceleration === 'tcg') sentences.push('Here the VM runs under software emulation (TCG, no KVM), which makes every guest instruction several times slower; with KVM the boot is much shorter, but it is still a boot.');
  if (acceleration === 'kvm') sentences.push('The VM runs with KVM, so its instructions run on the CPU directly: what remains is the boot itself.');
  if (acceleration) findings.acceleration = acceleration;
  return { conclusion: sentences.join(' '), findings };
}

function raceRunFinding(run: RaceRun | undefined): { findings: Findings; error?: AppError } {
  if (!run) return { findings: {}, error: new AppError('INTERNAL', 'The race reported no run') };
  return { findings: phaseFindings(run.phases), ...(run.error ? { error: AppError.fromWire(run.error) } : {}) };
}

/** A subject's race as the lines a watcher would note: each phase's time, then what counted as ready or the failure. */
export function raceLines(events: RaceEvent[], subject: 'container' | 'vm'): string {
  return events
    .map((event) => {
      if (event.type === 'phase' && event.subject === subject) return `${phaseNames[event.phase]} after ${formatMs(event.atMs)}\n`;
      if (event.type !== 'run' || event.subject !== subject) return '';
      return event.result.error ? `failed: ${event.result.error.message}\n` : event.result.readyBy ? `ready by: ${event.result.readyBy}\n` : '';
    })
    .join('');
}

export async function raceExperiment(run: ExperimentRun): Promise<ExperimentOutcome> {
  const { deps, steps, signal } = run;
  const image = await imageForContainers(run);
  if (!image) {
    throw new AppError('INVALID_ARGUMENT', 'The race needs an image to start a container from', { fix: { text: 'Choose an image above, then run the experiment again.' } });
  }
  const vm = requireVm(run, 'the race starts it from shut off');
  const info = await deps.vmInfo(vm);
  // The race names its containers as it goes, so its exact commands come with its result: the steps are shown then.
  const events: RaceEvent[] = [];
  const result = await deps.race({ image: image.reference, vm, runs: 1 }, (event) => events.push(event), signal);
  const subjects = [
    { subject: 'container' as const, title: 'Container: from nothing to first output', commands: result.commands.container, race: result.container[0] },
    { subject: 'vm' as const, title: 'VM: from shut off to ready', commands: result.commands.vm, race: result.vm[0] },
  ];
  for (const { subject, title, commands, race } of subjects) {
    const step = steps.begin(subject, title, commands.join('\n'));
    step.output(raceLines(events, subject));
    const { findings, error } = raceRunFinding(race);
    step.done(null, findings, error);
  }
  return raceConclusion(result, info.acceleration);
}

const portabilityCommands: { title: string; cmd: string[] }[] = [
  { title: 'Run the image with one command', cmd: ['uname', '-a'] },
  { title: 'Run the same image with another', cmd: ['sh', '-c', 'ls /bin | wc -l'] },
];

export interface PortabilityFindings {
  container: Side<{ imageIds: string[]; sizeBytes: number; outputs: string[] }>;
  vm: Side<{ disks: { path: string; format?: string; capacityBytes: number; allocationBytes: number }[]; bootFiles: { path: string; sizeBytes: number }[] }>;
}

export function portabilityConclusion(found: PortabilityFindings): ExperimentOutcome {
  const sentences: string[] = [];
  const findings: Findings = {};
  if (found.container.state === 'measured') {
    const { imageIds, sizeBytes, outputs } = found.container.value;
    const same = new Set(imageIds).size === 1;
    Object.assign(findings, { imageId: imageIds[0] ?? '', sameImage: same ? 'yes' : 'no', imageBytes: sizeBytes });
    const commands = portabilityCommands.map(({ cmd }, index) => `${shellLine(cmd)} printed "${outputs[index] ?? ''}"`).join(', ');
    sentences.push(
      same
        ? `Both containers were made from the same image, ${imageIds[0]?.slice(0, 19)}… (${formatBytes(sizeBytes)}): ${commands}. The image is a fixed, content-addressed file system; any engine runs it the same way, with whatever command, and nothing of it was installed on the host.`
        : `The two containers were made from different images (${imageIds.join(', ')}): the tag moved between the runs.`,
    );
  }
  if (found.vm.state === 'measured') {
    const { disks, bootFiles } = found.vm.value;
    disks.forEach((disk, index) => {
      findings[`disk${index + 1}`] = disk.path;
      findings[`disk${index + 1}AllocatedBytes`] = disk.allocationBytes;
    });
    bootFiles.forEach((file, index) => {
      findings[`bootFile${index + 1}`] = file.path;
    });
    const diskText = disks
      .map((disk) => `${disk.path} (${disk.format ?? 'unknown format'}, ${formatBytes(disk.capacityBytes)} for the guest, ${formatBytes(disk.allocationBytes)} on the host's disk)`)
      .join(' and ');
    const bootText = bootFiles.map((file) => `${file.path} (${formatBytes(file.sizeBytes)})`).join(' and ');
    sentences.push(
      [
        disks.length > 0 ? `The VM's disk is a file on the host: ${diskText}; it holds the guest's whole operating system, and moving the VM means copying it with the VM's definition (virsh dumpxml).` : '',
        bootFiles.length > 0 ? `The VM boots the kernel and initramfs files ${bootText} straight from the host.` : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
  }
  sentences.push(...missingSides(found.container, 'image', found.vm));
  return { conclusion: sentences.join(' '), findings };
}

async function containerPortability(run: ExperimentRun, image: { reference: string; sizeBytes: number }): Promise<PortabilityFindings['container']> {
  const imageIds: string[] = [];
  const outputs: string[] = [];
  for (const { title, cmd } of portabilityCommands) {
    const spec = { name: labContainerName(run), image: image.reference, experiment: run.args.id, cmd };
    const result = await runContainerStep(run, spec, title, 30_000, (_output, ran) => ({ imageId: ran.imageId, exitCode: ran.exitCode }));
    if (!result.result || result.error) return failedSide(result.error);
    imageIds.push(result.result.imageId);
    outputs.push(lastLine(result.output));
  }
  return sideOf({ imageIds, sizeBytes: image.sizeBytes, outputs }, undefined);
}

async function vmPortability(run: ExperimentRun): Promise<PortabilityFindings['vm']> {
  const read = await readHostView(run, { vm: run.args.vm! });
  if (read.error || !read.view?.vm) return failedSide(read.error);
  const { disks, bootFiles } = read.view.vm;
  if (disks.length === 0 && bootFiles.length === 0) return failedSide(new AppError('NOT_FOUND', 'The VM has no disk file and no kernel file on this host'));
  const shell = hostShell(run);
  const listing = `ls -l ${shellLine([...disks.map((disk) => disk.path), ...bootFiles.map((file) => file.path)])}`;
  const listed = await runShellStep(run.steps, shell, { subject: 'host', title: "The VM's files on the host", script: listing, command: listing, timeoutMs: 15_000 }, run.signal);
  if (listed.error) return failedSide(listed.error);
  const described = [];
  for (const disk of disks) {
    // -U: the running VM's qemu holds the image's write lock; reading its header is still safe.
    const script = shellLine(['qemu-img', 'info', '-U', disk.path]);
    const info = await runShellStep(
      run.steps,
      shell,
      { subject: 'host', title: `Disk ${disk.target} as a file`, script, command: script, timeoutMs: 30_000, read: (output) => readQemuImgInfo(output.stdout) },
      run.signal,
    );
    described.push({ ...disk, ...(info.run ? readQemuImgInfo(info.run.stdout) : {}) });
  }
  return sideOf({ disks: described, bootFiles }, undefined);
}

export async function portabilityExperiment(run: ExperimentRun): Promise<ExperimentOutcome> {
  const image = await imageForContainers(run);
  requireSomeSubject(run, image !== undefined, 'an image');
  const container: PortabilityFindings['container'] = image ? await containerPortability(run, image) : { state: 'absent' };
  const vm: PortabilityFindings['vm'] = run.args.vm ? await vmPortability(run) : { state: 'absent' };
  return portabilityConclusion({ container, vm });
}
