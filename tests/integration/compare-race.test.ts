// The Compare lab's start-time race against the real dockerd, libvirtd and QEMU (TCG): local/busybox and the test guest
// started from stopped twice each, phases in order, both left as they began; a running VM, an abort mid-boot, a
// missing image and a VM without console or agent.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labContainerLabel } from '@shared/compare-api';
import type { RaceEvent, RaceRun } from '@shared/compare-types';
import { runStartRace, type RaceArgs, type RaceDeps } from '../../electron/backend/compare/start-race';
import { loadConfig } from '../../electron/backend/config';
import { createDockerConnection } from '../../electron/backend/docker/connection';
import { runCommand } from '../../electron/backend/exec';
import { createVirsh } from '../../electron/backend/libvirt/virsh';
import { defineAndStartGuest, removeGuests, systemUri, virshCli } from './helpers/terminal-guest';
import { makeTestFolder } from './helpers/vm-guest';
import { kernelBootOs, testDomainXml, testGuestReadyLine } from './helpers/test-guest';

const prefix = 'itest-race-';
const guest = `${prefix}guest`;
const headless = `${prefix}headless`;
const agentOnly = `${prefix}agent`;
const raceLabel = `${labContainerLabel}=race`;
const config = loadConfig();
const connection = createDockerConnection(config);
const deps: RaceDeps = { docker: connection, virsh: createVirsh(runCommand, { timeoutMs: 60_000 }, config.env), env: config.env };

// Not helpers/docker-cli: it starts the whole backend, and this test needs only the race's own parts.
const testImage = 'local/busybox:latest';
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

function raceContainers(): string[] {
  return docker('ps', '-a', '--filter', `label=${raceLabel}`, '--format', '{{.Names}}').split('\n').filter(Boolean);
}

function removeRaceContainers(): void {
  const names = raceContainers();
  if (names.length > 0) docker('rm', '-f', ...names);
}

/** This process's `virsh ... start NAME --console` children (the race's console ptys), from /proc. */
function consoleChildren(): number[] {
  return fs.readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      return parent === process.pid && path.basename(args[0] ?? '') === 'virsh' && args.includes('--console') ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

function shutOff(name: string): void {
  if (virshCli('domstate', name).trim() !== 'shut off') virshCli('destroy', name);
}

function race(args: Partial<RaceArgs> & { name: string }, signal = new AbortController().signal, onEvent: (event: RaceEvent) => void = () => undefined) {
  const events: RaceEvent[] = [];
  const result = runStartRace(
    deps,
    { image: args.image ?? testImage, vm: { uri: systemUri, name: args.name }, runs: args.runs ?? 1 },
    (event) => {
      events.push(event);
      onEvent(event);
    },
    signal,
  );
  return { events, result };
}

/** Each phase reached later than (or when) the one before it, all after the run's start. */
function expectOrdered(run: RaceRun, phases: string[]): void {
  const times = phases.map((phase) => run.phases[phase as keyof RaceRun['phases']]);
  for (const time of times) expect(time).toBeGreaterThan(0);
  for (let index = 1; index < times.length; index += 1) expect(times[index]).toBeGreaterThanOrEqual(times[index - 1]!);
}

function define(name: string, devices: Record<string, unknown>): void {
  const xml = path.join(folder, `${name}.xml`);
  fs.writeFileSync(xml, testDomainXml(name, kernelBootOs(), { ...devices, memballoon: { '@_model': 'none' } }));
  virshCli('define', xml);
}

let folder: string;

beforeAll(() => {
  removeGuests(prefix);
  removeRaceContainers();
  folder = makeTestFolder(prefix);
  // The test guest with neither a serial port nor a console nor an agent channel: nothing tells when it is up.
  define(headless, {});
  // Its serial port goes to a file (virsh console cannot attach to that), and it has a guest agent channel.
  define(agentOnly, {
    serial: { '@_type': 'file', source: { '@_path': path.join(folder, 'agent-serial.log') } },
    channel: { '@_type': 'unix', target: { '@_type': 'virtio', '@_name': 'org.qemu.guest_agent.0' } },
  });
  defineAndStartGuest({ name: guest });
  virshCli('destroy', guest);
});

beforeEach(() => shutOff(guest));

afterAll(() => {
  connection.dispose();
  removeGuests(prefix);
  removeRaceContainers();
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

describe('start-time race', () => {
  it('starts the container and the VM twice each from stopped, timing every phase in order, and leaves both as they began', async () => {
    const { events, result } = race({ name: guest, runs: 2 });
    const outcome = await result;

    expect(outcome.runs).toBe(2);
    expect(outcome.container.map((run) => run.run)).toEqual([1, 2]);
    expect(outcome.vm.map((run) => run.run)).toEqual([1, 2]);
    for (const run of outcome.container) {
      expect(run.error).toBeUndefined();
      expectOrdered(run, ['create', 'start', 'first-output', 'ready']);
      expect(run.readyBy).toBe('ready line: isolab-race-ready');
    }
    for (const run of outcome.vm) {
      expect(run.error).toBeUndefined();
      expectOrdered(run, ['start', 'first-output', 'ready']);
      expect(run.readyBy).toBe(`ready marker: ${testGuestReadyLine()}`);
      // A cold start of a TCG guest takes seconds; a container from a local image well under that.
      expect(run.phases.ready).toBeGreaterThan(1000);
    }
    for (const subject of ['container', 'vm'] as const) {
      const phases = subject === 'container' ? ['create', 'start', 'first-output', 'ready'] : ['start', 'first-output', 'ready'];
      expect(Object.keys(outcome.median[subject]).sort()).toEqual([...phases].sort());
      for (const run of [1, 2]) {
        // Phase events came as the phases happened, in order, with the times the run's result has.
        const seen = events.flatMap((event) => (event.type === 'phase' && event.subject === subject && event.run === run ? [[event.phase, event.atMs]] : []));
        const recorded = outcome[subject][run - 1]!.phases;
        expect(seen).toEqual(phases.map((phase) => [phase, recorded[phase as keyof typeof recorded]]));
      }
    }
    expect(outcome.median.vm.ready).toBeGreaterThan(outcome.median.container.ready!);
    // Runs alternate, one subject at a time; 'done' comes last, with the result.
    expect(events.flatMap((event) => (event.type === 'run' ? [`${event.subject}${event.result.run}`] : []))).toEqual(['container1', 'vm1', 'container2', 'vm2']);
    expect(events.at(-1)).toEqual({ type: 'done', result: outcome });

    expect(outcome.commands.vm).toEqual([`virsh --connect ${systemUri} start ${guest} --console`, `virsh --connect ${systemUri} destroy ${guest}`]);
    expect(outcome.commands.container[0]).toMatch(new RegExp(`^docker run --name isolab-race-[0-9a-f]{8} --label ${raceLabel} --entrypoint sh ${testImage} -c 'echo isolab-race-ready'$`));
    expect(outcome.commands.container[1]).toMatch(/^docker rm -f isolab-race-[0-9a-f]{8}$/);

    expect(raceContainers()).toEqual([]);
    expect(virshCli('domstate', guest).trim()).toBe('shut off');
    expect(consoleChildren()).toEqual([]);
  }, 300_000);

  it('refuses a VM that is running, with the way to shut it down, and changes nothing', async () => {
    virshCli('start', guest);
    const { events, result } = race({ name: guest });
    await expect(result).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(`${guest} is running`),
      fix: { command: `virsh --connect ${systemUri} shutdown ${guest}` },
    });
    expect(events).toEqual([]);
    expect(virshCli('domstate', guest).trim()).toBe('running');
    expect(raceContainers()).toEqual([]);
  });

  it('stops promptly when aborted while the VM boots: the VM is forced off, no container is left', async () => {
    const stop = new AbortController();
    let abortedAt = 0;
    const { result } = race({ name: guest, runs: 2 }, stop.signal, (event) => {
      if (event.type === 'phase' && event.subject === 'vm' && event.phase === 'start') {
        abortedAt = performance.now();
        stop.abort();
      }
    });
    await expect(result).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/race was stopped/) });
    expect(abortedAt).toBeGreaterThan(0);
    // Closing the console and forcing QEMU off takes a second or two, not the rest of the boot.
    expect(performance.now() - abortedAt).toBeLessThan(15_000);
    expect(virshCli('domstate', guest).trim()).toBe('shut off');
    expect(raceContainers()).toEqual([]);
    expect(consoleChildren()).toEqual([]);
  });

  it('says an image that is not here is NOT_FOUND, names it and how to pull it, and leaves the VM alone', async () => {
    const image = `local/${prefix}missing:latest`;
    const { result } = race({ name: guest, image });
    await expect(result).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(`Image ${image} is not here`),
      fix: { command: `docker pull ${image}` },
    });
    expect(virshCli('domstate', guest).trim()).toBe('shut off');
  });

  it('keeps the start of a VM without serial console or guest agent, and says its ready time is unknown', async () => {
    const { result } = race({ name: headless });
    const outcome = await result;
    const [run] = outcome.vm;
    expect(run?.phases.start).toBeGreaterThan(0);
    expect(run?.phases.ready).toBeUndefined();
    expect(run?.error).toMatchObject({ message: expect.stringMatching(/neither a serial console nor a guest agent/) });
    expect(outcome.commands.vm).toEqual([`virsh --connect ${systemUri} start ${headless}`, `virsh --connect ${systemUri} destroy ${headless}`]);
    expect(outcome.median.vm).toEqual({ start: run?.phases.start });
    expect(virshCli('domstate', headless).trim()).toBe('shut off');
  });

  it('falls back to the guest agent when there is no serial console: ready once guest-ping answers', async () => {
    const outcome = await race({ name: agentOnly }).result;
    const [run] = outcome.vm;
    expect(run?.error).toBeUndefined();
    expect(run?.readyBy).toBe('agent answered');
    expectOrdered(run!, ['start', 'ready']);
    expect(run?.phases['first-output']).toBeUndefined();
    expect(outcome.commands.vm).toEqual([
      `virsh --connect ${systemUri} start ${agentOnly}`,
      `virsh --connect ${systemUri} qemu-agent-command ${agentOnly} '{"execute":"guest-ping"}'`,
      `virsh --connect ${systemUri} destroy ${agentOnly}`,
    ]);
    expect(virshCli('domstate', agentOnly).trim()).toBe('shut off');
  }, 240_000);
});
