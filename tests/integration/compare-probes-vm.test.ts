// The Compare lab's probes and host view in a VM, against the real libvirtd and the test guest under TCG: through
// qemu-guest-agent and through the serial console, the guest's own kernel, hostname and namespaces, the VM as one
// qemu process with its kernel and initramfs as files, and a shut-off VM explained.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeEvent, ProbeRun } from '@shared/compare-types';
import { startBackend, waitFor, type TestBackend } from './helpers/docker-cli';
import { streamToEnd } from './helpers/rpc-stream';
import { testGuestInitrd, testGuestKernel, testGuestKernelRelease } from './helpers/test-guest';
import { agentAnswers, defineGuest, makeTestFolder, readyCount, removeDomains, systemUri as uri, virsh } from './helpers/vm-guest';

const prefix = 'itest-cmpvm-';
const agentGuest = `${prefix}agent`;
const serialGuest = `${prefix}serial`;
const stoppedGuest = `${prefix}stopped`;
const bootMs = 120_000;
let folder: string;
let test: TestBackend;

function runsOf(events: ProbeEvent[]): ProbeRun[] {
  return events.flatMap((event) => (event.type === 'run' ? [event.run] : []));
}

function vmRun(events: ProbeEvent[], probe: string): ProbeRun {
  const run = runsOf(events).find((entry) => entry.probe === probe && entry.subject === 'vm');
  if (!run) throw new Error(`no ${probe} run in the VM`);
  return run;
}

beforeAll(async () => {
  removeDomains(prefix);
  folder = makeTestFolder('isolab-cmpvm-');
  for (const name of [agentGuest, serialGuest, stoppedGuest]) defineGuest({ name, serialLog: path.join(folder, `${name}.log`), agent: name === agentGuest });
  for (const name of [agentGuest, serialGuest]) virsh('start', name);
  for (const name of [agentGuest, serialGuest]) {
    await waitFor(`${name} to boot`, () => (readyCount(path.join(folder, `${name}.log`)) >= 1 ? true : undefined), bootMs);
  }
  test = startBackend('compare-probes-vm');
}, bootMs * 2);

afterAll(() => {
  test?.close();
  removeDomains(prefix);
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

describe.each([
  { name: agentGuest, via: 'guest-agent' },
  { name: serialGuest, via: 'serial-console' },
])('compare.probe in $name', ({ name, via }) => {
  let events: ProbeEvent[];

  beforeAll(async () => {
    // The agent starts a moment after the ready line: wait until the shell would pick it.
    if (via === 'guest-agent') {
      await waitFor('the guest agent', () => agentAnswers(name) || undefined, 30_000);
    }
    const outcome = await streamToEnd(test.client, 'compare.probe', { vm: { uri, name } });
    expect(outcome.error).toBeUndefined();
    events = outcome.events;
  }, 240_000);

  it(`reaches the guest through ${via} and labels it as emulated`, () => {
    const subjects = events[0]?.type === 'subjects' ? events[0].subjects : undefined;
    expect(subjects?.vm).toMatchObject({ name, via, acceleration: 'tcg', domainType: 'qemu', vcpus: 1, memoryBytes: 256 * 1024 * 1024 });
    expect(vmRun(events, 'kernel').via).toBe(via);
  });

  it('every probe reads a value in the guest', () => {
    const failed = runsOf(events).flatMap((run) => (run.error ? [`${run.subject} ${run.probe}: ${run.error.message}\n${run.stdout}`] : []));
    expect(failed).toEqual([]);
  });

  it("reads the guest's own kernel, CPUs, memory, hostname and init", () => {
    expect(vmRun(events, 'kernel').value?.fields.release).toBe(testGuestKernelRelease());
    expect(vmRun(events, 'cpu').value?.fields.cpus).toBe(1);
    expect(Number(vmRun(events, 'memory').value?.fields.totalBytes)).toBeLessThan(256 * 1024 * 1024);
    expect(vmRun(events, 'hostname').value?.fields.hostname).toBe('isolab-guest');
    expect(vmRun(events, 'processes').value?.fields.pid1).toBe('init');
    expect(vmRun(events, 'rootfs').value?.fields.type).toBe('rootfs');
    expect(vmRun(events, 'virtualization').value?.fields.hypervisorFlag).toBe('yes');
    expect(Number(vmRun(events, 'cpu-loop').value?.fields.loopMs)).toBeGreaterThan(0);
  });
});

describe('compare.hostView of a VM', () => {
  it('shows the VM as one qemu process bounded near its RAM, and its boot files', async () => {
    const view = await test.client.call('compare.hostView', { vm: { uri, name: serialGuest } });
    const qemu = view.vm?.qemu;
    expect(qemu?.command).toContain(`guest=${serialGuest}`);
    expect(fs.readFileSync(`/proc/${qemu!.hostPid}/cmdline`, 'utf8')).toContain(`guest=${serialGuest}`);
    expect(qemu?.rssBytes).toBeGreaterThan(16 * 1024 * 1024);
    expect(qemu?.threads).toBeGreaterThanOrEqual(2);
    expect(view.vm?.memoryBytes).toBe(256 * 1024 * 1024);
    expect(view.vm?.bootFiles).toEqual([
      { path: testGuestKernel, sizeBytes: fs.statSync(testGuestKernel).size },
      { path: testGuestInitrd, sizeBytes: fs.statSync(testGuestInitrd).size },
    ]);
  });

  it('has no qemu process for a shut-off VM', async () => {
    const view = await test.client.call('compare.hostView', { vm: { uri, name: stoppedGuest } });
    expect(view.vm?.qemu).toBeUndefined();
  });
});

describe('a VM the probes cannot reach', () => {
  it('says to start a shut-off VM, and still probes the host', async () => {
    const outcome = await streamToEnd(test.client, 'compare.probe', { vm: { uri, name: stoppedGuest }, probes: ['kernel'] });
    expect(outcome.error).toBeUndefined();
    const subjects = outcome.events[0]?.type === 'subjects' ? outcome.events[0].subjects : undefined;
    expect(subjects?.vm?.error?.code).toBe('CONFLICT');
    expect(subjects?.vm?.error?.fix?.text ?? subjects?.vm?.error?.message).toMatch(/start/i);
    expect(runsOf(outcome.events).map((run) => run.subject)).toEqual(['host']);
  });

  it('rejects a connection URI that is not known', async () => {
    const outcome = await streamToEnd(test.client, 'compare.probe', { vm: { uri: 'qemu+ssh://nobody@192.0.2.1/system', name: 'x' } });
    expect(outcome.error?.code).toBe('INVALID_ARGUMENT');
  });
});
