// The Compare lab's probes and host view against the real dockerd and the host: the container's kernel is the
// host's, its namespaces and cgroup are its own, the host sees its processes with both pids; lab containers are
// launched and cleaned up, bad subjects get clear errors. The VM side is in compare-probes-vm.test.ts.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labContainerLabel } from '@shared/compare-api';
import type { ProbeEvent, ProbeRun } from '@shared/compare-types';
import { docker, dockerQuiet, startBackend, testImage, type TestBackend } from './helpers/docker-cli';
import { streamToEnd } from './helpers/rpc-stream';

const prefix = 'itest-cmp-';
let test: TestBackend;
let lab: { id: string; name: string };

function labContainers(): string[] {
  return docker('ps', '-aq', '--filter', `label=${labContainerLabel}`).split('\n').filter(Boolean);
}

function runOf(events: ProbeEvent[], probe: string, subject: string): ProbeRun {
  const run = events.flatMap((event) => (event.type === 'run' ? [event.run] : [])).find((entry) => entry.probe === probe && entry.subject === subject);
  if (!run) throw new Error(`no ${probe} run in the ${subject}`);
  return run;
}

beforeAll(async () => {
  test = startBackend('compare-probes');
  lab = await test.client.call('compare.launchContainer', { image: testImage });
});

afterAll(async () => {
  await test.client.call('compare.cleanup', {}).catch(() => undefined);
  for (const name of docker('ps', '-a', '--filter', `name=^/${prefix}`, '--format', '{{.Names}}').split('\n').filter(Boolean)) dockerQuiet('rm', '-f', name);
  test.close();
});

describe('compare.probe in a container and on the host', () => {
  let events: ProbeEvent[];

  beforeAll(async () => {
    const outcome = await streamToEnd(test.client, 'compare.probe', { container: lab.id });
    expect(outcome.error).toBeUndefined();
    events = outcome.events;
  }, 120_000);

  it('describes the subjects first and ends with done', () => {
    const first = events[0];
    expect(first?.type).toBe('subjects');
    if (first?.type !== 'subjects') return;
    expect(first.subjects.host.kernelRelease).toBe(os.release());
    expect(first.subjects.container).toMatchObject({ id: lab.id, name: lab.name, image: testImage });
    expect(first.subjects.container?.engineKernel).toBe(docker('info', '--format', '{{.KernelVersion}}'));
    expect(events.at(-1)?.type).toBe('done');
  });

  it("reads the host's kernel release inside the container", () => {
    const hostRelease = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();
    expect(runOf(events, 'kernel', 'host').value?.fields.release).toBe(hostRelease);
    const inContainer = runOf(events, 'kernel', 'container');
    expect(inContainer.value?.fields.release).toBe(hostRelease);
    expect(inContainer.via).toBe('docker-exec');
    expect(inContainer.command).toContain(`docker exec ${lab.name} sh -c`);
  });

  it('shows the container in namespaces, a cgroup and a hostname of its own', () => {
    const host = runOf(events, 'namespaces', 'host').value!.fields;
    const container = runOf(events, 'namespaces', 'container').value!.fields;
    for (const kind of ['pid', 'net', 'mnt', 'uts', 'ipc']) expect(container[kind], kind).not.toBe(host[kind]);
    expect(runOf(events, 'cgroup', 'container').value?.fields.path).toContain(lab.id);
    expect(runOf(events, 'hostname', 'container').value?.fields.hostname).toBe(lab.id.slice(0, 12));
    const processes = runOf(events, 'processes', 'container').value!.fields;
    expect(processes.pid1).toBe('sh');
    expect(Number(processes.count)).toBeLessThan(Number(runOf(events, 'processes', 'host').value!.fields.count));
    expect(runOf(events, 'rootfs', 'container').value?.fields.type).toBe('overlay');
  });

  it('times the same CPU-bound loop in both, and every run succeeded', () => {
    for (const subject of ['host', 'container']) expect(Number(runOf(events, 'cpu-loop', subject).value?.fields.loopMs)).toBeGreaterThan(0);
    const failed = events.flatMap((event) => (event.type === 'run' && event.run.error ? [`${event.run.subject} ${event.run.probe}: ${event.run.error.message}`] : []));
    expect(failed).toEqual([]);
  });
});

describe('compare.hostView of a container', () => {
  it('lists its processes with host and container pids, its memory and its image layers', async () => {
    const view = await test.client.call('compare.hostView', { container: lab.id });
    const hostPid = Number(docker('inspect', '--format', '{{.State.Pid}}', lab.id));
    const main = view.container?.processes.find((row) => row.hostPid === hostPid);
    expect(main).toMatchObject({ innerPid: 1, user: 'root' });
    expect(main?.command).toContain('while :; do sleep 3600 & wait $!; done');
    expect(view.container?.processes.map((row) => row.command)).toContain('sleep 3600');
    expect(view.container?.memoryUsageBytes).toBeGreaterThan(0);
    expect(view.container?.image.layers).toBeGreaterThanOrEqual(1);
    expect(view.container?.image.id).toBe(docker('image', 'inspect', '--format', '{{.Id}}', testImage));
    expect(view.hostProcessCount).toBeGreaterThan(view.container!.processes.length);
  });
});

describe('bad subjects and lab containers', () => {
  it('refuses a stopped container with what to do', async () => {
    const id = docker('create', '--name', `${prefix}stopped`, testImage, 'true');
    const outcome = await streamToEnd(test.client, 'compare.probe', { container: id });
    expect(outcome.error?.code).toBe('CONFLICT');
    expect(outcome.error?.fix?.text).toMatch(/Start the container/);
  });

  it('says to pull an image that is not here, and leaves nothing behind', async () => {
    const before = labContainers();
    const error = await test.client.call('compare.launchContainer', { image: 'local/not-here:never' }).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'NOT_FOUND', fix: { command: 'docker pull local/not-here:never' } });
    expect(labContainers()).toEqual(before);
  });

  it('rejects an invalid image reference before touching the engine', async () => {
    await expect(test.client.call('compare.launchContainer', { image: 'Bad Image!' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('cleanup removes exactly the lab containers', async () => {
    const other = docker('run', '-d', '--name', `${prefix}bystander`, testImage, 'sleep', '60');
    const second = await test.client.call('compare.launchContainer', { image: testImage });
    expect(labContainers()).toContain(second.id.slice(0, 12));
    const { removed } = await test.client.call('compare.cleanup', {});
    expect(removed).toBeGreaterThanOrEqual(2);
    expect(labContainers()).toEqual([]);
    expect(docker('inspect', '--format', '{{.State.Running}}', other)).toBe('true');
    lab = await test.client.call('compare.launchContainer', { image: testImage });
  });
});
