// The guided experiments' container and host sides against the real dockerd and this host (no VM chosen): kernels,
// the host's view, the memory and pids limits, portability, cancel and missing subjects, all leaving nothing behind.
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentEvent, ExperimentId } from '@shared/compare-types';
import { loadConfig } from '../../electron/backend/config';
import { createContainerShell } from '../../electron/backend/compare/container-shell';
import { runExperiment, type ExperimentDeps } from '../../electron/backend/compare/experiments';
import { createHostShell } from '../../electron/backend/compare/host-shell';
import { createHostView } from '../../electron/backend/compare/host-view';
import { createDockerConnection, type DockerConnectionService } from '../../electron/backend/docker/connection';
import { failure } from '../helpers/failure';
import { containersNamed, docker, removeTestObjects, testImage } from './helpers/docker-cli';

const prefix = 'itest-exp-';
let connection: DockerConnectionService;
let deps: ExperimentDeps;

/** What no VM-less run may call: reaching one fails the experiment, and so the test. */
const noVm = (what: string) => () => Promise.reject(new Error(`${what} was called although no VM was chosen`));

beforeAll(() => {
  removeTestObjects(prefix);
  const config = loadConfig();
  connection = createDockerConnection(config);
  const hostView = createHostView({ docker: connection, vmDetail: noVm('vmDetail'), roots: config.roots });
  deps = {
    docker: connection,
    hostShell: () => createHostShell(process.env),
    containerShell: (id, name) => createContainerShell(connection, id, name, config.roots.proc),
    vmShell: noVm('vmShell'),
    race: noVm('race'),
    hostView: (args, signal) => hostView.read(args, signal),
    vmInfo: noVm('vmInfo'),
    containerNamePrefix: prefix,
  };
});
afterEach(() => removeTestObjects(prefix));
afterAll(() => {
  connection?.dispose();
  removeTestObjects(prefix);
});

interface Recorded {
  events: ExperimentEvent[];
  steps: Extract<ExperimentEvent, { type: 'step' }>['step'][];
  done: Extract<ExperimentEvent, { type: 'done' }>;
  stepDone(index: number): Extract<ExperimentEvent, { type: 'step-done' }>;
  output(index: number): string;
}

function record(events: ExperimentEvent[]): Omit<Recorded, 'done'> {
  return {
    events,
    steps: events.flatMap((event) => (event.type === 'step' ? [event.step] : [])),
    stepDone: (index) => {
      const found = events.find((event): event is Extract<ExperimentEvent, { type: 'step-done' }> => event.type === 'step-done' && event.index === index);
      if (!found) throw new Error(`step ${index} never ended: ${JSON.stringify(events).slice(0, 3000)}`);
      return found;
    },
    output: (index) =>
      events
        .filter((event) => event.type === 'output' && event.index === index)
        .map((event) => (event.type === 'output' ? event.text : ''))
        .join(''),
  };
}

/** Runs the experiment to its end and checks the event order: each step announced, output only while it runs, ended once. */
async function experiment(id: ExperimentId, args: { image?: string; container?: string } = {}): Promise<Recorded> {
  const events: ExperimentEvent[] = [];
  await runExperiment(deps, { id, ...args }, (event) => events.push(event), new AbortController().signal);
  const open = new Set<number>();
  const ended = new Set<number>();
  for (const event of events) {
    if (event.type === 'step') open.add(event.step.index);
    if (event.type === 'output') expect(open.has(event.index) && !ended.has(event.index)).toBe(true);
    if (event.type === 'step-done') {
      expect(open.has(event.index) && !ended.has(event.index)).toBe(true);
      ended.add(event.index);
    }
  }
  expect([...ended].sort()).toEqual([...open].sort());
  const done = events.at(-1);
  if (done?.type !== 'done') throw new Error(`the experiment did not end with done: ${JSON.stringify(events.at(-1))}`);
  return { ...record(events), done };
}

const hostRelease = () => execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();

describe('kernel', () => {
  it('runs uname in a fresh container from the image: the host kernel, and says no VM was chosen', async () => {
    const run = await experiment('kernel', { image: testImage });
    expect(run.steps.map((step) => step.subject)).toEqual(['host', 'container']);
    expect(run.steps[0]!.command).toBe('uname -r; cat /proc/version');
    expect(run.steps[1]!.command).toMatch(new RegExp(`^docker run --rm --name ${prefix}kernel-\\w+ --network none --label io.isolab.compare-lab=kernel local/busybox:latest sh -c 'uname -r; cat /proc/version'$`));
    expect(run.output(1)).toContain(hostRelease());
    expect(run.stepDone(1)).toMatchObject({ exitCode: 0, findings: { release: hostRelease() } });
    expect(run.done.findings).toMatchObject({ hostRelease: hostRelease(), containerRelease: hostRelease(), sameKernel: 'yes' });
    expect(run.done.conclusion).toContain(`kernel ${hostRelease()}, the host's own`);
    expect(run.done.conclusion).toContain('No VM was chosen');
    expect(containersNamed(prefix)).toEqual([]);
  });

  it('runs uname in the chosen running container with docker exec, and leaves that container alone', async () => {
    const name = `${prefix}target`;
    docker('run', '-d', '--name', name, testImage, 'sleep', '300');
    const run = await experiment('kernel', { container: name });
    expect(run.steps[1]).toMatchObject({ subject: 'container', command: `docker exec ${name} sh -c 'uname -r; cat /proc/version'` });
    expect(run.done.findings).toMatchObject({ containerRelease: hostRelease(), sameKernel: 'yes' });
    expect(docker('inspect', '--format', '{{.State.Running}}', name)).toBe('true');
  });
});

describe('host-sees', () => {
  it("lists the container's processes inside and on the host with host pids, then removes the container it started", async () => {
    const run = await experiment('host-sees', { image: testImage });
    expect(run.steps.map((step) => [step.subject, step.title])).toEqual([
      ['container', 'Start a container to look at'],
      ['container', 'Processes inside the container'],
      ['host', "The container's processes as the host sees them"],
    ]);
    expect(run.steps[0]!.command).toMatch(/^docker run -d --name itest-exp-host-sees-\w+ --network none --label io\.isolab\.compare-lab=host-sees local\/busybox:latest sleep 600$/);
    expect(run.output(1)).toMatch(/^\s*1 root .*sleep 600$/m);
    const pid1 = Number(run.done.findings.containerPid1HostPid);
    expect(pid1).toBeGreaterThan(1);
    expect(run.steps[2]!.command).toContain(`/proc/${pid1}/status`);
    expect(run.output(2)).toMatch(new RegExp(`NSpid:\\s+${pid1}\\s+1\\b`));
    expect(run.done.findings.containerProcessesOnHost).toBeGreaterThanOrEqual(1);
    expect(Number(run.done.findings.hostProcesses)).toBeGreaterThan(Number(run.done.findings.containerProcessesOnHost));
    expect(run.done.conclusion).toContain(`host PID ${pid1}`);
    expect(containersNamed(prefix)).toEqual([]);
  });
});

describe('memory-limit', () => {
  it('ends with an OOM kill: exit 137, OOMKilled, an oom event, and no container left', async () => {
    const run = await experiment('memory-limit', { image: testImage });
    expect(run.steps.map((step) => step.title)).toEqual([
      'Allocate 64 MiB under a 32 MiB limit',
      'What the engine recorded',
      'Remove the container',
      "The engine's events about the container",
    ]);
    const name = /--name (\S+)/.exec(run.steps[0]!.command)?.[1];
    expect(run.steps[0]!.command).toBe(
      `docker run --name ${name} --network none --memory 32m --memory-swap 32m --pids-limit 64 --label io.isolab.compare-lab=memory-limit local/busybox:latest dd if=/dev/zero of=/dev/null bs=64M count=1`,
    );
    expect(run.stepDone(0).exitCode).toBe(137);
    expect(run.output(1)).toBe('137 true\n');
    expect(run.output(2)).toBe(`${name}\n`);
    expect(run.output(3)).toMatch(new RegExp(`^\\S+Z container oom [0-9a-f]{64} \\(image=local/busybox:latest, io.isolab.compare-lab=memory-limit, name=${name}\\)$`, 'm'));
    expect(run.stepDone(3).findings).toEqual({ oomEvent: 'seen', actions: 'create attach start oom die destroy' });
    // The events command shown prints the same events when typed.
    const [, ...eventsArgs] = run.steps[3]!.command.split(' ');
    const actions = (text: string) => [...text.matchAll(/Z container (\w+) /g)].map((match) => match[1]);
    expect(actions(docker(...eventsArgs))).toEqual(actions(run.output(3)));
    expect(run.done.findings).toMatchObject({ containerExitCode: 137, oomKilled: 'true', oomEvent: 'seen' });
    expect(run.done.conclusion).toContain('exit code 137');
    expect(run.done.conclusion).toContain('No VM was chosen');
    expect(containersNamed(prefix)).toEqual([]);
  });
});

describe('pids-limit', () => {
  it('stops the fork flood at 32 processes, some forks refused, and leaves no container', async () => {
    const run = await experiment('pids-limit', { image: testImage });
    expect(run.steps).toHaveLength(1);
    expect(run.steps[0]!.command).toMatch(/^docker run --rm --name itest-exp-pids-limit-\w+ --network none --pids-limit 32 /);
    expect(run.output(0)).toContain("can't fork");
    const { containerStarted, containerRefused, containerProcesses, containerPidsLimit } = run.done.findings;
    expect(containerPidsLimit).toBe(32);
    expect(Number(containerProcesses)).toBeLessThanOrEqual(32);
    expect(Number(containerRefused)).toBeGreaterThan(0);
    expect(Number(containerStarted) + Number(containerRefused)).toBe(100);
    expect(Number(containerStarted)).toBeLessThan(32);
    expect(run.done.conclusion).toContain(`started ${containerStarted} of 100`);
    expect(containersNamed(prefix)).toEqual([]);
  });
});

describe('portability', () => {
  it('runs the same image with two commands and shows the same image id both times', async () => {
    const run = await experiment('portability', { image: testImage });
    const imageId = docker('image', 'inspect', '--format', '{{.Id}}', testImage);
    expect(run.steps.map((step) => step.command.replace(/--name \S+ /, ''))).toEqual([
      "docker run --rm --network none --label io.isolab.compare-lab=portability local/busybox:latest uname -a",
      "docker run --rm --network none --label io.isolab.compare-lab=portability local/busybox:latest sh -c 'ls /bin | wc -l'",
    ]);
    expect(run.stepDone(0).findings.imageId).toBe(imageId);
    expect(run.stepDone(1).findings.imageId).toBe(imageId);
    expect(run.output(0)).toContain(`Linux`);
    expect(Number(run.output(1).trim())).toBeGreaterThan(100);
    expect(run.done.findings).toMatchObject({ imageId, sameImage: 'yes' });
    expect(containersNamed(prefix)).toEqual([]);
  });
});

describe('cancel and missing subjects', () => {
  it('removes the container it started when cancelled in the middle', async () => {
    const control = new AbortController();
    const events: ExperimentEvent[] = [];
    let seenContainer = false;
    const running = runExperiment(
      deps,
      { id: 'host-sees', image: testImage },
      (event) => {
        events.push(event);
        // The container is running (its id was printed): cancel now.
        if (event.type === 'output' && event.index === 0) {
          seenContainer = containersNamed(prefix).length === 1;
          control.abort();
        }
      },
      control.signal,
    );
    const error = await failure(running);
    expect(seenContainer).toBe(true);
    expect(error.message).toMatch(/cancelled/);
    expect(events.some((event) => event.type === 'done')).toBe(false);
    expect(containersNamed(prefix)).toEqual([]);
  });

  it('removes the memory-limit container when cancelled as it starts', async () => {
    const control = new AbortController();
    const running = runExperiment(
      deps,
      { id: 'memory-limit', image: testImage },
      (event) => {
        if (event.type === 'step' && event.step.index === 0) control.abort();
      },
      control.signal,
    );
    expect((await failure(running)).message).toMatch(/cancelled/);
    expect(containersNamed(prefix)).toEqual([]);
  });

  it('refuses an image that is not here with NOT_FOUND and the pull command', async () => {
    const missing = `local/${prefix}missing:latest`;
    const error = await failure(runExperiment(deps, { id: 'memory-limit', image: missing }, () => undefined, new AbortController().signal));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.fix?.command).toBe(`docker pull ${missing}`);
    expect(containersNamed(prefix)).toEqual([]);
  });

  it('asks for a subject when none is chosen, and for a VM where one is needed', async () => {
    const signal = new AbortController().signal;
    const none = await failure(runExperiment(deps, { id: 'kernel' }, () => undefined, signal));
    expect(none).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(none.fix?.text).toMatch(/Choose/);
    expect((await failure(runExperiment(deps, { id: 'race', image: testImage }, () => undefined, signal))).message).toMatch(/needs a VM/);
    expect((await failure(runExperiment(deps, { id: 'docker-in-vm' }, () => undefined, signal))).message).toMatch(/needs a VM/);
    const stopped = `${prefix}stopped`;
    docker('create', '--name', stopped, testImage, 'true');
    const notRunning = await failure(runExperiment(deps, { id: 'kernel', container: stopped }, () => undefined, signal));
    expect(notRunning).toMatchObject({ code: 'CONFLICT' });
    expect(notRunning.fix?.command).toBe(`docker start ${stopped}`);
  });
});
