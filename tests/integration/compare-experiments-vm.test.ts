// The guided experiments' VM sides through the real `compare.experiment` stream, against libvirtd, QEMU (TCG) and the
// test guest (serial console, and the guest agent): kernels, the VM as one qemu process, memory and fork floods in the
// guest, the race, the VM's files, Docker in a VM explained, and a cancel that leaves the guest usable.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labContainerLabel } from '@shared/compare-api';
import type { ExperimentEvent, ExperimentId, ProbeEvent } from '@shared/compare-types';
import { openVmShell } from '../../electron/backend/compare/vm-shell';
import { loadConfig } from '../../electron/backend/config';
import { runCommand } from '../../electron/backend/exec';
import { createVirsh } from '../../electron/backend/libvirt/virsh';
import { docker, dockerQuiet, startBackend, testImage, waitFor, type TestBackend } from './helpers/docker-cli';
import { streamToEnd } from './helpers/rpc-stream';
import { testGuestInitrd, testGuestKernel, testGuestKernelRelease } from './helpers/test-guest';
import { defineGuest, domainState, makeTestFolder, qemuImg, readyCount, removeDomains, systemUri as uri, virsh } from './helpers/vm-guest';

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

const serial = { uri, name: serialGuest };
const agent = { uri, name: agentGuest };
const hostRelease = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();

function agentAnswers(name: string): true | undefined {
  try {
    virsh('qemu-agent-command', name, '{"execute":"guest-ping"}');
    return true;
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  removeDomains(prefix);
  folder = makeTestFolder('isolab-expvm-');
  diskFile = path.join(folder, 'disk.qcow2');
  qemuImg('create', '-q', '-f', 'qcow2', diskFile, '64M');
  const log = (name: string) => path.join(folder, `${name}.log`);
  defineGuest({ name: serialGuest, serialLog: log(serialGuest) });
  defineGuest({ name: agentGuest, serialLog: log(agentGuest), agent: true });
  defineGuest({ name: diskGuest, serialLog: log(diskGuest), disks: [{ file: diskFile, format: 'qcow2', target: 'vda' }] });
  for (const name of [serialGuest, agentGuest]) virsh('start', name);
  for (const name of [serialGuest, agentGuest]) await waitFor(`${name} to boot`, () => (readyCount(log(name)) >= 1 ? true : undefined), bootMs);
  await waitFor('the guest agent to answer', () => agentAnswers(agentGuest), 30_000);
  test = startBackend('compare-experiments-vm');
}, bootMs * 2 + 30_000);

afterAll(() => {
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

/** Opens `virsh console` in a pty as a user would, and leaves again: what virsh printed (an error when it is held). */
async function attachConsole(name: string): Promise<string> {
  const pty = spawn('virsh', ['--connect', uri, 'console', '--domain', name], { cols: 80, rows: 24, cwd: '/', env: { ...process.env, LC_ALL: 'C' } });
  let text = '';
  const exited = new Promise<void>((resolve) => pty.onExit(() => resolve()));
  pty.onData((chunk) => (text += chunk));
  try {
    await waitFor('virsh console to connect', () => (text.includes('Escape character is') ? true : undefined), 15_000);
    // virsh says the console is held only after its "Connected" line.
    await new Promise((resolve) => setTimeout(resolve, 1000));
  } finally {
    pty.write('\x1d');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    pty.kill();
  }
  return text;
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
    const said = await attachConsole(serialGuest);
    expect(said).toContain('Escape character is');
    expect(said).not.toMatch(/error:/);
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
    // The flood's sleeps last 5 s from their start, all before the experiment ended.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, ended + 6000 - Date.now())));
    expect(await inGuest(serialGuest, countProcesses('sleep 5'))).toBe('0\n');
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
    expect(run.steps.map((step) => step.title)).toEqual(['Your SSH public key', 'Cloud-init user-data for a VM with Docker']);
    const userData = run.output(1);
    expect(userData).toMatch(/^#cloud-config\n/);
    expect(userData).toContain('"packages": ["docker.io"]');
    expect(userData).toContain('"name":"isolab","groups":["docker"]');
    expect(run.done.findings).toMatchObject({ address: 'none', sshPort: 'not checked' });
    expect(run.done.findings.dockerServerVersion).toBeUndefined();
    expect(run.done.conclusion).toMatch(new RegExp(`^Docker inside this VM was not reached: VM ${serialGuest} has no IPv4 address the host knows`));
    expect(run.done.conclusion).not.toMatch(/answered from inside/);
  });

  it('refuses a shut-off VM with CONFLICT and the command that starts it', async () => {
    const outcome = await streamToEnd(test.client, 'compare.experiment', { id: 'docker-in-vm', vm: { uri, name: diskGuest } });
    expect(outcome.events).toEqual([]);
    expect(outcome.error).toMatchObject({ code: 'CONFLICT', message: `VM ${diskGuest} is shut off: this experiment needs it running` });
    expect(outcome.error?.fix?.command).toBe(`virsh --connect ${uri} start ${diskGuest}`);
  });
});

describe('cancel', () => {
  it('leaves the guest usable and no container when the pids-limit VM step is cancelled', async () => {
    const events: ExperimentEvent[] = [];
    let finished = false;
    const vmStepBegan = new Promise<void>((resolve) => {
      const subscription = test.client.subscribe(
        'compare.experiment',
        { id: 'pids-limit', image: testImage, vm: serial },
        {
          next(event) {
            events.push(event);
            if (event.type === 'step' && event.step.subject === 'vm') {
              // In the middle of the flood: the script is typed and running in the guest by then.
              setTimeout(() => {
                subscription.unsubscribe();
                resolve();
              }, 3000);
            }
          },
          error: () => (finished = true),
          end: () => (finished = true),
        },
      );
    });
    await vmStepBegan;
    const recorded = record(events);
    expect(finished).toBe(false);
    expect(events.some((event) => event.type === 'step-done' && event.index === 1)).toBe(false);
    expect(containerNames(recorded.steps)).toHaveLength(1);

    // The next run queues behind the cancelled one's interrupt on the same console, then works.
    const probe = await streamToEnd(test.client, 'compare.probe', { vm: serial, probes: ['kernel', 'processes'] });
    expect(probe.error).toBeUndefined();
    const vmRuns = probe.events.flatMap((event: ProbeEvent) => (event.type === 'run' && event.run.subject === 'vm' ? [event.run] : []));
    expect(vmRuns.map((entry) => [entry.probe, entry.error?.message])).toEqual([
      ['kernel', undefined],
      ['processes', undefined],
    ]);
    expect(vmRuns[0]!.value?.fields.release).toBe(testGuestKernelRelease());
    expect(existing(containerNames(recorded.steps))).toEqual([]);
    // The flood stopped with the cancel: after its sleeps' 5 s, none is left and no new one starts.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(await inGuest(serialGuest, countProcesses('sleep 5'))).toBe('0\n');
    expect(domainState(serialGuest)).toBe('running');
  });
});
