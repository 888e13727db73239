// The guided experiments' VM sides through the real `compare.experiment` stream, against libvirtd, QEMU (TCG) and the
// test guest (serial console, and the guest agent): kernels, the VM as one qemu process, memory and fork floods in the
// guest, the race, the VM's files, Docker in a VM explained, and a cancel that leaves the guest usable.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { labContainerLabel } from '@shared/compare-api';
import type { ExperimentEvent, ExperimentId, ProbeEvent } from '@shared/compare-types';
import { openVmShell } from '../../electron/backend/compare/vm-shell';
import { loadConfig } from '../../electron/backend/config';
import { runCommand } from '../../electron/backend/exec';
import { createVirsh } from '../../electron/backend/libvirt/virsh';
import { docker, dockerQuiet, startBackend, testImage, waitFor, type TestBackend } from './helpers/docker-cli';
import { streamToEnd } from './helpers/rpc-stream';
import { holdConsole } from './helpers/vm-console-hold';
import { testGuestInitrd, testGuestKernel, testGuestKernelRelease } from './helpers/test-guest';
import { waitForGuestSsh } from './helpers/guest-ssh';
import { agentAnswers, defineGuest, domainState, makeTestFolder, qemuImg, readyCount, removeDomains, systemUri as uri, virsh } from './helpers/vm-guest';

const prefix = 'itest-expvm-';
const serialGuest = `${prefix}serial`;
const agentGuest = `${prefix}agent`;
/** Shut off, with a qcow2 disk besides its kernel: the race starts it, portability shows its disk. */
const diskGuest = `${prefix}disk`;
const mib = 1024 * 1024;
/** What qemu may hold beyond the guest's RAM under TCG: its code cache (~48 MiB), devices, libraries. */
const qemuOverheadBytes = 192 * mib;
const bootMs = 120_000;
let folder: string;
let diskFile: string;
let test: TestBackend;
/** Every container an experiment's step named, removed in afterAll should a test fail before the experiment did. */
const namedContainers = new Set<string>();
/** What node-pty logged (it logs a failed write to a pty itself): a console shell must close without one. */
const ptyErrors: string[] = [];

const serial = { uri, name: serialGuest };
const agent = { uri, name: agentGuest };
const hostRelease = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();

beforeAll(async () => {
  removeDomains(prefix);
  folder = makeTestFolder('isolab-expvm-');
  diskFile = path.join(folder, 'disk.qcow2');
  qemuImg('create', '-q', '-f', 'qcow2', diskFile, '64M');
  const log = (name: string) => path.join(folder, `${name}.log`);
  defineGuest({ name: serialGuest, serialLog: log(serialGuest) });
  // On libvirt's default network, so experiment 7 finds an address and the guest's SSH server (dropbear).
  defineGuest({ name: agentGuest, serialLog: log(agentGuest), agent: true, nic: { network: 'default' } });
  defineGuest({ name: diskGuest, serialLog: log(diskGuest), disks: [{ file: diskFile, format: 'qcow2', target: 'vda' }] });
  for (const name of [serialGuest, agentGuest]) virsh('start', name);
  for (const name of [serialGuest, agentGuest]) await waitFor(`${name} to boot`, () => (readyCount(log(name)) >= 1 ? true : undefined), bootMs);
  await waitFor('the guest agent to answer', () => agentAnswers(agentGuest) || undefined, 30_000);
  test = startBackend('compare-experiments-vm');
  const logError = console.error.bind(console);
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    if (args.some((arg) => /\bpty\b/.test(String(arg)))) ptyErrors.push(args.map(String).join(' '));
    logError(...args);
  });
}, bootMs * 2 + 30_000);

afterAll(() => {
  vi.restoreAllMocks();
  test?.close();
  for (const name of namedContainers) dockerQuiet('rm', '-f', name);
  removeDomains(prefix);
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

type Step = Extract<ExperimentEvent, { type: 'step' }>['step'];
type StepDone = Extract<ExperimentEvent, { type: 'step-done' }>;

interface Recorded {
  steps: Step[];
  done: Extract<ExperimentEvent, { type: 'done' }>;
  stepDone(index: number): StepDone;
  output(index: number): string;
  /** The step with this title; fails the test when there is none. */
  step(title: string): Step;
}

/** Container names the steps' `docker run --name NAME` commands show (the race's too). */
function containerNames(steps: Step[]): string[] {
  return steps.flatMap((step) => [...step.command.matchAll(/docker run (?:[-\w]+ )*--name (\S+)/g)].map((match) => match[1]!));
}

/** Of these containers, the ones that still exist (any state). */
function existing(names: string[]): string[] {
  if (names.length === 0) return [];
  const all = docker('ps', '-a', '--filter', `label=${labContainerLabel}`, '--format', '{{.Names}}').split('\n');
  return names.filter((name) => all.includes(name));
}

function record(events: ExperimentEvent[]): Omit<Recorded, 'done'> {
  const steps = events.flatMap((event) => (event.type === 'step' ? [event.step] : []));
  for (const name of containerNames(steps)) namedContainers.add(name);
  return {
    steps,
    stepDone(index) {
      const found = events.find((event): event is StepDone => event.type === 'step-done' && event.index === index);
      if (!found) throw new Error(`step ${index} never ended`);
      return found;
    },
    output: (index) => events.map((event) => (event.type === 'output' && event.index === index ? event.text : '')).join(''),
    step(title) {
      const found = steps.find((step) => step.title === title);
      if (!found) throw new Error(`no step "${title}" among ${JSON.stringify(steps.map((step) => step.title))}`);
      return found;
    },
  };
}

/** Runs the experiment through the RPC stream to its end: it must end with 'done', every step ended once. */
async function experiment(id: ExperimentId, args: { image?: string; vm?: { uri: string; name: string } }): Promise<Recorded> {
  const outcome = await streamToEnd(test.client, 'compare.experiment', { id, ...args });
  const recorded = record(outcome.events);
  if (outcome.error) throw new Error(`${id} failed: ${outcome.error.message}\n${outcome.error.detail ?? ''}`);
  const ended = outcome.events.flatMap((event) => (event.type === 'step-done' ? [event.index] : []));
  expect(ended).toEqual(recorded.steps.map((step) => step.index));
  const done = outcome.events.at(-1);
  if (done?.type !== 'done') throw new Error(`${id} did not end with done: ${JSON.stringify(done)}`);
  return { ...recorded, done };
}

/** A script for the guest that prints how many processes run `command` with arguments (zombies have no cmdline). */
const countProcesses = (command: string) => `for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' <"$f"; echo; done | grep -c '^${command} ' || true`;

/** Runs one script in the guest through the lab's own VM shell (the way the experiments reach it). */
async function inGuest(name: string, script: string): Promise<string> {
  const config = loadConfig();
  const shell = await openVmShell({ virsh: createVirsh(runCommand, { timeoutMs: 60_000 }, config.env), env: config.env }, { uri, name });
  try {
    return (await shell.run(script, { timeoutMs: 60_000 })).stdout;
  } finally {
    shell.close();
  }
}

/** The flood's sleeps last 5 s, all started before `since`: a second later still, none may be left in the guest. */
async function expectSleepsEnded(name: string, since: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, since + 6000 - Date.now())));
  expect(await inGuest(name, countProcesses('sleep 5'))).toBe('0\n');
}

const qemuCmdline = (pid: number) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');

describe('kernel', () => {
  it("shows the guest's own kernel over the serial console, the host's in the container", async () => {
    const run = await experiment('kernel', { image: testImage, vm: serial });
    expect(run.steps.map((step) => step.subject)).toEqual(['host', 'container', 'vm']);
    const vmStep = run.step("The VM's kernel");
    expect(vmStep.command).toBe(`virsh --connect ${uri} console ${serialGuest}, then: uname -r; cat /proc/version`);
    expect(run.output(vmStep.index)).toContain(`Linux version ${testGuestKernelRelease()}`);
    expect(run.stepDone(vmStep.index)).toMatchObject({ exitCode: 0, findings: { release: testGuestKernelRelease() } });
    expect(run.stepDone(run.step("The container's kernel").index).findings.release).toBe(hostRelease);
    expect(run.done.findings).toMatchObject({ hostRelease, containerRelease: hostRelease, sameKernel: 'yes', vmRelease: testGuestKernelRelease() });
    expect(run.done.conclusion).toContain(`kernel ${hostRelease}, the host's own`);
    expect(run.done.conclusion).toContain(
      testGuestKernelRelease() === hostRelease ? `The VM reported ${hostRelease} too` : `The VM reported kernel ${testGuestKernelRelease()}: its own kernel, booted inside the VM, not the host's`,
    );
    expect(existing(containerNames(run.steps))).toEqual([]);
  });

  it('reaches the guest through qemu-guest-agent when the VM has its channel', async () => {
    const run = await experiment('kernel', { vm: agent });
    expect(run.steps.map((step) => step.subject)).toEqual(['host', 'vm']);
    const vmStep = run.step("The VM's kernel");
    expect(vmStep.command).toMatch(new RegExp(`^virsh --connect ${uri} qemu-agent-command ${agentGuest} '\\{"execute":"guest-exec"`));
    expect(run.stepDone(vmStep.index)).toMatchObject({ exitCode: 0, findings: { release: testGuestKernelRelease() } });
    expect(run.done.findings).toMatchObject({ hostRelease, vmRelease: testGuestKernelRelease() });
    expect(run.done.conclusion).toContain('No container or image was chosen');
  });
});

describe('host-sees', () => {
  it('counts the processes inside the guest, and finds the whole VM as one qemu process on the host', async () => {
    const run = await experiment('host-sees', { image: testImage, vm: serial });
    expect(run.steps.map((step) => [step.subject, step.title]).slice(3)).toEqual([
      ['vm', 'Processes inside the VM'],
      ['host', 'The VM as the host sees it'],
    ]);
    const inside = run.step('Processes inside the VM');
    // Busybox ps in the guest: its own init as PID 1, kernel threads, the console shell.
    expect(run.output(inside.index)).toMatch(/^\s*1 \S+\s.*init/m);
    const { vmProcessesInside, qemuPid, qemuRssBytes, qemuThreads } = run.done.findings;
    expect(Number(vmProcessesInside)).toBe(run.stepDone(inside.index).findings.processes);
    expect(Number(vmProcessesInside)).toBeGreaterThan(10);
    expect(qemuCmdline(Number(qemuPid))).toContain(`guest=${serialGuest}`);
    const onHost = run.step('The VM as the host sees it');
    expect(onHost.command).toBe(`ps -o pid,user,rss,nlwp,comm -p ${qemuPid}; grep -E '^(VmRSS|Threads):' /proc/${qemuPid}/status`);
    expect(run.output(onHost.index)).toMatch(new RegExp(`^\\s*${qemuPid} \\S+\\s+\\d+\\s+\\d+ qemu`, 'm'));
    expect(Number(qemuRssBytes)).toBeGreaterThan(16 * mib);
    expect(Number(qemuThreads)).toBeGreaterThanOrEqual(2);
    expect(run.done.conclusion).toContain(`Inside the VM, ps listed ${vmProcessesInside} processes, and the host sees none of them: only one qemu process (PID ${qemuPid}`);
    expect(existing(containerNames(run.steps))).toEqual([]);
  });
});

describe('memory-limit', () => {
  let run: Recorded;
  beforeAll(async () => {
    run = await experiment('memory-limit', { image: testImage, vm: serial });
  }, 240_000);

  it('OOM-kills the container: exit 137, OOMKilled, an oom event', () => {
    expect(run.stepDone(run.step('Allocate 64 MiB under a 32 MiB limit').index).exitCode).toBe(137);
    expect(run.done.findings).toMatchObject({ containerExitCode: 137, oomKilled: 'true', oomEvent: 'seen' });
    expect(run.done.conclusion).toContain('exit code 137');
  });

  it("lets the guest's own kernel stop the allocation, and qemu stays within the VM's size", () => {
    const vmStep = run.steps.find((step) => step.subject === 'vm');
    expect(vmStep).toMatchObject({ title: 'Allocate 320 MiB in a 256 MiB VM' });
    expect(vmStep!.command).toBe(`virsh --connect ${uri} console ${serialGuest}, then: grep MemTotal /proc/meminfo; dd if=/dev/zero of=/dev/null bs=320M count=1`);
    expect(run.output(vmStep!.index)).toMatch(/^MemTotal:\s+\d+ kB$/m);
    const { guestOutcome, guestExitCode, vmMemoryBytes, qemuRssBeforeBytes, qemuRssAfterBytes, qemuPeakRssBytes } = run.done.findings;
    console.info(`memory-limit in the guest: ${String(guestOutcome)} (exit ${String(guestExitCode)}); qemu RSS ${Number(qemuRssBeforeBytes) / mib} -> ${Number(qemuRssAfterBytes) / mib} MiB, peak ${Number(qemuPeakRssBytes) / mib} MiB`);
    expect(['refused', 'oom-killed']).toContain(guestOutcome);
    expect(guestExitCode).not.toBe(0);
    expect(run.stepDone(vmStep!.index)).toMatchObject({ exitCode: guestExitCode, findings: { outcome: guestOutcome } });
    expect(vmMemoryBytes).toBe(256 * mib);
    expect(run.done.findings.guestRequestBytes).toBe(320 * mib);
    for (const rss of [qemuRssBeforeBytes, qemuRssAfterBytes, qemuPeakRssBytes]) {
      expect(Number(rss)).toBeGreaterThan(16 * mib);
      expect(Number(rss)).toBeLessThanOrEqual(256 * mib + qemuOverheadBytes);
    }
    const verdict = guestOutcome === 'refused' ? "the guest's own kernel refused the allocation" : "the guest's own OOM killer ended it inside the VM";
    expect(run.done.conclusion).toContain(`In the VM, dd asked the guest for 320 MiB, more than the whole VM (256 MiB): ${verdict}`);
    expect(run.done.conclusion).toContain('On the host, the qemu process went from');
  });

  it('leaves no container behind, the VM running and its console free', async () => {
    expect(containerNames(run.steps)).toHaveLength(1);
    expect(existing(containerNames(run.steps))).toEqual([]);
    expect(domainState(serialGuest)).toBe('running');
    // A user's `virsh console` gets it: holdConsole fails when virsh says another session has it.
    await (await holdConsole(serialGuest)).release();
  });
});

describe('pids-limit', () => {
  it('stops the flood at 32 in the container; the guest runs all 100, whose sleeps end by themselves', async () => {
    const run = await experiment('pids-limit', { image: testImage, vm: serial });
    const ended = Date.now();
    expect(run.steps.map((step) => [step.subject, step.title])).toEqual([
      ['container', 'Start 100 processes under --pids-limit 32'],
      ['vm', 'Start 100 processes in the VM'],
    ]);
    const { containerProcesses, containerStarted, containerRefused, vmStarted, vmRefused, vmProcesses } = run.done.findings;
    expect(Number(containerProcesses)).toBeLessThanOrEqual(32);
    expect(Number(containerRefused)).toBeGreaterThan(0);
    expect(Number(containerStarted) + Number(containerRefused)).toBe(100);
    expect(vmStarted).toBe(100);
    expect(vmRefused).toBe(0);
    expect(Number(vmProcesses)).toBeGreaterThan(32);
    expect(run.done.findings.vmPidsLimit).toBeUndefined();
    expect(run.done.conclusion).toContain('In the VM, the same loop started 100 of 100 (0 refused');
    expect(existing(containerNames(run.steps))).toEqual([]);
    await expectSleepsEnded(serialGuest, ended);
  });
});

describe('pids-limit through the guest agent', () => {
  it('runs the flood with guest-exec, which returns while its sleeps run on; they end by themselves', async () => {
    const run = await experiment('pids-limit', { vm: agent });
    const ended = Date.now();
    expect(run.steps).toHaveLength(1);
    expect(run.steps[0]!.command).toMatch(new RegExp(`^virsh --connect ${uri} qemu-agent-command ${agentGuest} '\\{"execute":"guest-exec"`));
    expect(run.done.findings).toMatchObject({ vmStarted: 100, vmRefused: 0 });
    expect(Number(run.done.findings.vmProcesses)).toBeGreaterThan(32);
    expect(run.done.conclusion).toContain('No image was chosen');
    // guest-exec did not wait for the background sleeps: they still run now.
    expect(Number(await inGuest(agentGuest, countProcesses('sleep 5')))).toBeGreaterThan(0);
    await expectSleepsEnded(agentGuest, ended);
  });
});

describe('race', () => {
  it('starts a container and the shut-off VM once each, and leaves the VM shut off', async () => {
    expect(domainState(diskGuest)).toBe('shut off');
    const run = await experiment('race', { image: testImage, vm: { uri, name: diskGuest } });
    expect(run.steps.map((step) => [step.subject, step.title])).toEqual([
      ['container', 'Container: from nothing to first output'],
      ['vm', 'VM: from shut off to ready'],
    ]);
    expect(run.steps[1]!.command).toBe([`virsh --connect ${uri} start ${diskGuest} --console`, `virsh --connect ${uri} destroy ${diskGuest}`].join('\n'));
    expect(run.stepDone(0).error).toBeUndefined();
    expect(run.stepDone(1).error).toBeUndefined();
    expect(run.output(1)).toMatch(/^ready after [\d.]+ m?s$/m);
    const { containerCreateMs, containerFirstOutputMs, vmStartMs, vmReadyMs, acceleration } = run.done.findings;
    expect(Number(containerCreateMs)).toBeGreaterThan(0);
    expect(Number(containerFirstOutputMs)).toBeGreaterThanOrEqual(Number(containerCreateMs));
    expect(Number(vmStartMs)).toBeGreaterThan(0);
    expect(Number(vmReadyMs)).toBeGreaterThan(Number(vmStartMs));
    expect(acceleration).toBe('tcg');
    expect(run.done.conclusion).toContain('software emulation (TCG, no KVM)');
    expect(domainState(diskGuest)).toBe('shut off');
    expect(existing(containerNames(run.steps))).toEqual([]);
  });
});

describe('portability', () => {
  it("shows a kernel-boot VM's kernel and initramfs as files on the host", async () => {
    const run = await experiment('portability', { image: testImage, vm: serial });
    const files = run.step("The VM's files on the host");
    expect(files).toMatchObject({ subject: 'host', command: `ls -l ${testGuestKernel} ${testGuestInitrd}` });
    expect(run.output(files.index)).toContain(testGuestKernel);
    expect(run.output(files.index)).toContain(testGuestInitrd);
    expect(run.done.findings).toMatchObject({ bootFile1: testGuestKernel, bootFile2: testGuestInitrd, sameImage: 'yes' });
    expect(run.done.findings.disk1).toBeUndefined();
    expect(run.done.conclusion).toContain(`The VM boots the kernel and initramfs files ${testGuestKernel} (`);
    expect(existing(containerNames(run.steps))).toEqual([]);
  });

  it('shows a qcow2 disk as a file: its format, size for the guest and on the host', async () => {
    const run = await experiment('portability', { vm: { uri, name: diskGuest } });
    const disk = run.step('Disk vda as a file');
    expect(disk.command).toBe(`qemu-img info -U ${diskFile}`);
    expect(run.output(disk.index)).toMatch(/^file format: qcow2$/m);
    expect(run.stepDone(disk.index).findings).toMatchObject({ format: 'qcow2' });
    expect(run.done.findings).toMatchObject({ disk1: diskFile, bootFile1: testGuestKernel });
    expect(Number(run.done.findings.disk1AllocatedBytes)).toBeGreaterThan(0);
    expect(Number(run.done.findings.disk1AllocatedBytes)).toBeLessThan(64 * mib);
    expect(run.done.conclusion).toContain(`The VM's disk is a file on the host: ${diskFile} (qcow2, 64 MiB for the guest,`);
    expect(run.done.conclusion).toContain('No image was chosen');
  });
});

describe('docker-in-vm', () => {
  it('says the test guest has no address to reach, and shows the cloud-init user-data', async () => {
    const run = await experiment('docker-in-vm', { vm: serial });
    expect(run.steps.map((step) => step.title)).toEqual(['Is Docker installed in the VM?', 'Your SSH public key', 'Cloud-init user-data for a VM with Docker']);
    expect(run.steps[0]?.subject).toBe('vm');
    const userData = run.output(2);
    expect(userData).toMatch(/^#cloud-config\n/);
    expect(userData).toContain('"packages": ["docker.io"]');
    expect(userData).toContain('"name":"isolab","groups":["docker"]');
    expect(run.done.findings).toMatchObject({ address: 'none', sshPort: 'not checked' });
    expect(run.done.findings.dockerServerVersion).toBeUndefined();
    expect(run.done.findings.dockerInside).toBe('not installed');
    expect(run.done.conclusion).toContain(`Inside VM ${serialGuest} (through its serial console) there is no docker command: Docker is not installed there.`);
    expect(run.done.conclusion).toContain(`Docker inside this VM was not reached from the host: VM ${serialGuest} has no IPv4 address the host knows`);
    expect(run.done.conclusion).not.toMatch(/answered from inside/);
  });

  it("finds the guest's SSH server at its leased address, and says Docker is not there rather than claiming it", async () => {
    const address = await waitForGuestSsh(agentGuest);
    const run = await experiment('docker-in-vm', { vm: agent });
    expect(run.steps.map((step) => step.title).slice(0, 3)).toEqual(['Is Docker installed in the VM?', 'Is port 22 of the VM open?', 'Docker in the VM, from the host']);
    expect(run.output(1)).toMatch(new RegExp(`^${address.replaceAll('.', '\\.')} port 22 accepted a connection after \\d+ ms; it says: SSH-2\\.0-dropbear`));
    expect(run.done.findings).toMatchObject({ address, sshPort: 'open', dockerInside: 'not installed' });
    expect(run.done.findings.dockerServerVersion).toBeUndefined();
    expect(run.done.conclusion).toContain(`Inside VM ${agentGuest} (through its guest agent) there is no docker command`);
    expect(run.done.conclusion).toContain(`Port 22 of ${address} answers, but docker -H ssh://`);
  }, 240_000);

  it('refuses a shut-off VM with CONFLICT and the command that starts it', async () => {
    const outcome = await streamToEnd(test.client, 'compare.experiment', { id: 'docker-in-vm', vm: { uri, name: diskGuest } });
    expect(outcome.events).toEqual([]);
    expect(outcome.error).toMatchObject({ code: 'CONFLICT', message: `VM ${diskGuest} is shut off: this experiment needs it running` });
    expect(outcome.error?.fix?.command).toBe(`virsh --connect ${uri} start ${diskGuest}`);
  });
});

describe('cancel', () => {
  it('stops the flood in the guest, leaves the guest usable and no container when the pids-limit VM step is cancelled', async () => {
    const log = path.join(folder, `${serialGuest}.log`);
    const events: ExperimentEvent[] = [];
    let finished = false;
    let from = 0;
    const subscription = test.client.subscribe(
      'compare.experiment',
      { id: 'pids-limit', image: testImage, vm: serial },
      {
        next(event) {
          events.push(event);
          if (event.type === 'step' && event.step.subject === 'vm') from = fs.statSync(log).size;
        },
        error: () => (finished = true),
        end: () => (finished = true),
      },
    );
    // The console shell prints the run's begin marker when the flood starts: cancel in the middle of it.
    const since = () => fs.readFileSync(log, 'utf8').slice(from);
    await waitFor('the flood to start in the guest', () => (from > 0 && /isolab-[0-9a-f]{8}-\d+-begin/.test(since()) ? true : undefined), 120_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    subscription.unsubscribe();
    const cancelled = Date.now();
    const recorded = record(events);
    expect(finished).toBe(false);
    const vmStep = recorded.steps.find((step) => step.subject === 'vm');
    expect(events.some((event) => event.type === 'step-done' && event.index === vmStep?.index)).toBe(false);
    expect(containerNames(recorded.steps)).toHaveLength(1);

    // The next run waits for the cancelled one's interrupt on the same console, then works.
    const probe = await streamToEnd(test.client, 'compare.probe', { vm: serial, probes: ['kernel', 'processes'] });
    expect(probe.error).toBeUndefined();
    const vmRuns = probe.events.flatMap((event: ProbeEvent) => (event.type === 'run' && event.run.subject === 'vm' ? [event.run] : []));
    expect(vmRuns.map((entry) => [entry.probe, entry.error?.message])).toEqual([
      ['kernel', undefined],
      ['processes', undefined],
    ]);
    expect(vmRuns[0]!.value?.fields.release).toBe(testGuestKernelRelease());
    // Interrupted, the flood never printed its counts; its sleeps end by themselves.
    expect(since()).not.toMatch(/started=\d+/);
    expect(existing(containerNames(recorded.steps))).toEqual([]);
    await expectSleepsEnded(serialGuest, cancelled);
    expect(domainState(serialGuest)).toBe('running');
  });
});

describe('the console shells', () => {
  it('left every serial console with its escape key, no failed write to the pty', () => {
    expect(ptyErrors).toEqual([]);
  });
});
