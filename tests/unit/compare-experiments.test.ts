// The guided experiments' pure pieces: what they read from output recorded on this machine (Debian 12, dockerd
// 20.10.24, busybox 1.35, 2026-11-26), the command lines they show, the step events, the port check and the
// conclusions they build from measured findings (and from missing or failed sides).
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExperimentEvent, RaceEvent, RaceResult } from '@shared/compare-types';
import { AppError } from '@shared/errors';
import { missingSides } from '../../electron/backend/compare/experiment-context';
import { checkPort, dockerInVmConclusion, dockerSshUser, portCheckLine } from '../../electron/backend/compare/experiment-docker-in-vm';
import {
  allocationOutcome,
  counted,
  countProcessRows,
  dockerUserData,
  formatEngineEvent,
  publicKeys,
  readDockerServerVersion,
  readForkFlood,
  readKernel,
  readQemuImgInfo,
  readStatusFields,
} from '../../electron/backend/compare/experiment-findings';
import { portabilityConclusion, raceConclusion, raceLines } from '../../electron/backend/compare/experiment-footprint';
import { hostSeesConclusion, kernelConclusion } from '../../electron/backend/compare/experiment-isolation';
import { labRunCommand } from '../../electron/backend/compare/experiment-lab-containers';
import { forkFloodScript, memoryConclusion, pidsConclusion } from '../../electron/backend/compare/experiment-limits';
import { createStepRecorder, runShellStep, shellLine } from '../../electron/backend/compare/experiment-steps';
import type { ShellRunOptions, SubjectShell } from '../../electron/backend/compare/subject-shell';

// `docker run --rm --pids-limit 32 local/busybox:latest sh -c "$(forkFloodScript(100))"`, stdout.
const floodInContainer = 'started=30\nrefused=70\nprocesses=31\npids.max=32\npids.events=max 70\n';
// The same script run on this machine's host shell: no pids cgroup files there.
const floodOnHost = 'started=100\nrefused=0\nprocesses=194\n';
const hostKernel =
  '6.18.44-fc-v595\nLinux version 6.18.44-fc-v595 (builder@sandboxing) (gcc (GCC) 15.3.0, GNU ld (GNU Binutils) 2.46) #1 SMP PREEMPT_DYNAMIC @0\n';
// `docker exec NAME sh -c 'ps 2>/dev/null || ls -d /proc/[0-9]*'` in a busybox container running `sleep 60`.
const busyboxPs = 'PID   USER     COMMAND\n    1 root     sleep 60\n    7 root     sh -c ps 2>/dev/null || ls -d /proc/[0-9]*\n   13 root     {ps} sh -c ps 2>/dev/null || ls -d /proc/[0-9]*\n';
// `docker events --format '{{json .}}' --filter container=…` during the memory-limit run.
const oomEvent = JSON.parse(
  '{"status":"oom","id":"32b06f36b7775b7c5e3f9c9fb06b72234a30d8a9396a46ac168ffecf0891025c","from":"local/busybox:latest","Type":"container","Action":"oom","Actor":{"ID":"32b06f36b7775b7c5e3f9c9fb06b72234a30d8a9396a46ac168ffecf0891025c","Attributes":{"name":"exp-fixture-oom2","image":"local/busybox:latest"}},"scope":"local","time":1795663111,"timeNano":1795663111057809031}',
) as object;
const qemuImgInfo = `image: /tmp/expdev/d.qcow2
file format: qcow2
virtual size: 1 GiB (1073741824 bytes)
disk size: 196 KiB
cluster_size: 65536
Format specific information:
    compat: 1.1
`;
const dockerVersion = `Client:
 Version:           28.2.2
 API version:       1.41 (downgraded from 1.50)

Server:
 Engine:
  Version:          20.10.24+dfsg1
  API version:      1.41 (minimum version 1.12)
 containerd:
  Version:          1.6.20~ds1
`;

describe('reading output', () => {
  it('reads the kernel release and version line', () => {
    expect(readKernel(hostKernel)).toEqual({ release: '6.18.44-fc-v595', version: hostKernel.split('\n')[1] });
    expect(() => readKernel('sh: uname: not found\n')).toThrow(/no kernel release/);
  });

  it('counts process rows of ps and of the /proc fallback, not headers or errors', () => {
    expect(countProcessRows(busyboxPs)).toBe(3);
    expect(countProcessRows('/proc/1\n/proc/7\n/proc/12\n')).toBe(3);
    expect(countProcessRows('sh: ps: not found\n')).toBe(0);
  });

  it('reads /proc/PID/status fields in bytes and counts', () => {
    expect(readStatusFields('VmHWM:\t    1352 kB\nVmRSS:\t    1352 kB\nThreads:\t1\n')).toEqual({ VmHWM: 1352 * 1024, VmRSS: 1352 * 1024, Threads: 1 });
  });

  it("reads the fork flood's counts, with the pids cgroup's when there is one", () => {
    expect(readForkFlood(floodInContainer)).toEqual({ started: 30, refused: 70, processes: 31, pidsMax: 32, refusedByCgroup: 70 });
    expect(readForkFlood(floodOnHost)).toEqual({ started: 100, refused: 0, processes: 194 });
    expect(readForkFlood('started=100\nrefused=0\nprocesses=40\npids.max=max\n')).toEqual({ started: 100, refused: 0, processes: 40 });
    expect(() => readForkFlood('sh: can\'t fork\n')).toThrow(/no started= line/);
  });

  it('tells who stopped an allocation from the exit code and message', () => {
    expect(allocationOutcome(137, '')).toBe('oom-killed');
    // busybox dd asking for 100000 MiB on this machine.
    expect(allocationOutcome(1, 'MemTotal:       24684096 kB\ndd: out of memory\n')).toBe('refused');
    expect(allocationOutcome(1, 'dd: memory exhausted by input buffer of size 4294967296 bytes (4.0 GiB)')).toBe('refused');
    expect(allocationOutcome(0, '1+0 records in')).toBe('completed');
    expect(allocationOutcome(2, 'dd: invalid number')).toBe('failed');
  });

  it('prints an engine event the way docker events does, to the microsecond', () => {
    expect(formatEngineEvent(oomEvent)).toBe(
      '2026-11-26T03:18:31.057809Z container oom 32b06f36b7775b7c5e3f9c9fb06b72234a30d8a9396a46ac168ffecf0891025c (image=local/busybox:latest, name=exp-fixture-oom2)',
    );
  });

  it('reads qemu-img info, docker version and SSH public keys', () => {
    expect(readQemuImgInfo(qemuImgInfo)).toEqual({ format: 'qcow2' });
    expect(readQemuImgInfo('image: a.qcow2\nfile format: qcow2\nbacking file: /var/lib/base.qcow2\n')).toEqual({ format: 'qcow2', backingFile: '/var/lib/base.qcow2' });
    expect(readDockerServerVersion(dockerVersion)).toBe('20.10.24+dfsg1');
    expect(readDockerServerVersion('Client:\n Version: 28.2.2\nCannot connect to the Docker daemon at ssh://isolab@10.0.0.2\n')).toBeUndefined();
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKx7 me@host';
    expect(publicKeys(`cat: '/root/.ssh/id_rsa.pub': No such file or directory\n${key}\n`)).toEqual([key]);
  });

  it('says counts in words', () => {
    expect(counted(1, 'process')).toBe('1 process');
    expect(counted(3, 'process')).toBe('3 processes');
    expect(counted(2, 'disk')).toBe('2 disks');
  });
});

describe('the user-data for Docker in a VM', () => {
  it('is #cloud-config whose body is JSON: a docker-group user with the keys, Docker installed and started', () => {
    const text = dockerUserData('isolab', ['ssh-ed25519 AAAA me@host']);
    const [header, note, ...body] = text.split('\n');
    expect(header).toBe('#cloud-config');
    expect(note).toMatch(/^# .*DOCKER_HOST=ssh:\/\/isolab@ADDRESS/);
    expect(JSON.parse(body.join('\n'))).toEqual({
      users: ['default', { name: 'isolab', groups: ['docker'], shell: '/bin/bash', sudo: 'ALL=(ALL) NOPASSWD:ALL', lock_passwd: true, ssh_authorized_keys: ['ssh-ed25519 AAAA me@host'] }],
      package_update: true,
      packages: ['docker.io'],
      runcmd: [['systemctl', 'enable', '--now', 'docker']],
    });
  });

  it('says how to make a key when there is none', () => {
    const text = dockerUserData('isolab', []);
    const [, note, ...body] = text.split('\n');
    expect(note).toMatch(/ssh-keygen -t ed25519/);
    expect((JSON.parse(body.join('\n')) as { users: [string, object] }).users[1]).not.toHaveProperty('ssh_authorized_keys');
  });
});

describe('command lines', () => {
  it('leaves plain words bare and quotes the rest for a POSIX shell', () => {
    expect(shellLine(['docker', 'run', 'local/busybox:latest', 'dd', 'bs=64M'])).toBe('docker run local/busybox:latest dd bs=64M');
    expect(shellLine(['sh', '-c', "echo 'a b'"])).toBe(`sh -c 'echo '\\''a b'\\'''`);
  });

  it('shows the lab container as docker run with its limits and label', () => {
    const spec = { name: 'isolab-lab-x', image: 'local/busybox:latest', experiment: 'memory-limit' as const, cmd: ['dd', 'bs=64M'], memory: '32m', memorySwap: '32m', pidsLimit: 64 };
    expect(labRunCommand(spec, 'keep')).toBe(
      'docker run --name isolab-lab-x --network none --memory 32m --memory-swap 32m --pids-limit 64 --label io.isolab.compare-lab=memory-limit local/busybox:latest dd bs=64M',
    );
    expect(labRunCommand({ ...spec, cmd: ['sleep', '600'], memory: undefined, memorySwap: undefined, pidsLimit: undefined }, 'detach')).toBe(
      'docker run -d --name isolab-lab-x --network none --label io.isolab.compare-lab=memory-limit local/busybox:latest sleep 600',
    );
  });

  it('writes a fork flood that uses only builtins once the flood is over', () => {
    const script = forkFloodScript(100);
    const after = script.slice(script.indexOf('done'));
    expect(script).toContain('while [ $i -lt 100 ]');
    expect(after).not.toMatch(/\$\(|cat |wc /);
  });
});

/** A shell that answers one recorded run (or fails with `error`), as a container or guest would. */
function recordedShell(result: { stdout: string; exitCode: number } | AppError): SubjectShell {
  return {
    via: 'docker-exec',
    commandFor: (script) => `docker exec box sh -c '${script}'`,
    run(_script: string, options: ShellRunOptions) {
      if (result instanceof AppError) return Promise.reject(result);
      options.onOutput?.(result.stdout);
      return Promise.resolve({ ...result, stderr: '', startedAt: 0, durationMs: 5 });
    },
    close: () => undefined,
  };
}

describe('steps', () => {
  it('announces each step, passes its output, and ends it with the exit code and findings', async () => {
    const events: ExperimentEvent[] = [];
    const steps = createStepRecorder((event) => events.push(event));
    const read = (run: { stdout: string }) => readKernel(run.stdout);
    await runShellStep(steps, recordedShell({ stdout: hostKernel, exitCode: 0 }), { subject: 'container', title: 'Kernel', script: 'uname -r', timeoutMs: 1000, read }, new AbortController().signal);
    const plain = await runShellStep(steps, recordedShell({ stdout: 'x\n', exitCode: 0 }), { subject: 'host', title: 'Plain', script: 'echo x', command: 'echo x', timeoutMs: 1000 }, new AbortController().signal);
    expect(plain.findings).toEqual({});
    expect(events).toEqual([
      { type: 'step', step: { index: 0, title: 'Kernel', subject: 'container', command: "docker exec box sh -c 'uname -r'" } },
      { type: 'output', index: 0, text: hostKernel },
      { type: 'step-done', index: 0, exitCode: 0, findings: readKernel(hostKernel) },
      { type: 'step', step: { index: 1, title: 'Plain', subject: 'host', command: 'echo x' } },
      { type: 'output', index: 1, text: 'x\n' },
      { type: 'step-done', index: 1, exitCode: 0, findings: {} },
    ]);
  });

  it('ends a failed step with its error and output it could not read with what it said', async () => {
    const events: ExperimentEvent[] = [];
    const steps = createStepRecorder((event) => events.push(event));
    const timeout = new AppError('TIMEOUT', 'The command in the VM did not finish within 1 s');
    const failed = await runShellStep(steps, recordedShell(timeout), { subject: 'vm', title: 'Kernel', script: 'uname -r', timeoutMs: 1000 }, new AbortController().signal);
    expect(failed.error).toBe(timeout);
    const unread = await runShellStep(
      steps,
      recordedShell({ stdout: 'sh: uname: not found\n', exitCode: 127 }),
      { subject: 'vm', title: 'Kernel', script: 'uname -r', timeoutMs: 1000, read: (run) => readKernel(run.stdout) },
      new AbortController().signal,
    );
    expect(unread.error?.message).toBe('Kernel: the output did not say what was expected (no kernel release and /proc/version line)');
    expect(events.filter((event) => event.type === 'step-done')).toEqual([
      { type: 'step-done', index: 0, exitCode: null, findings: {}, error: timeout.toWire() },
      { type: 'step-done', index: 1, exitCode: 127, findings: {}, error: unread.error!.toWire() },
    ]);
  });

  it('throws on cancel instead of ending the step', async () => {
    const control = new AbortController();
    control.abort();
    const steps = createStepRecorder(() => undefined);
    await expect(
      runShellStep(steps, recordedShell(new AppError('UNAVAILABLE', 'The run was cancelled')), { subject: 'vm', title: 'Kernel', script: 'uname -r', timeoutMs: 1000 }, control.signal),
    ).rejects.toThrow('The experiment was cancelled');
  });
});

describe('the SSH port check', () => {
  const servers: net.Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  async function listen(onConnection: (socket: net.Socket) => void): Promise<number> {
    const server = net.createServer(onConnection);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as net.AddressInfo).port;
  }

  it("connects, reads the server's first line, and tells refused from open", async () => {
    const port = await listen((socket) => socket.end('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n'));
    const open = await checkPort('127.0.0.1', port, 3000, new AbortController().signal);
    expect(open).toMatchObject({ state: 'open', banner: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3' });
    expect(portCheckLine('127.0.0.1', open)).toMatch(/^127\.0\.0\.1 port 22 accepted a connection after \d+ ms; it says: SSH-2\.0-OpenSSH/);
    const closed = await listen(() => undefined);
    servers.pop()!.close();
    const refused = await checkPort('127.0.0.1', closed, 3000, new AbortController().signal);
    expect(refused).toMatchObject({ state: 'refused', reason: 'ECONNREFUSED' });
  });
});

const measured = <T>(value: T) => ({ state: 'measured' as const, value });
const absent = { state: 'absent' as const };

describe('conclusions', () => {
  it('says which sides were not chosen or failed', () => {
    expect(missingSides(absent, 'image', { state: 'failed', error: 'No answer from the guest agent' })).toEqual([
      'No image was chosen, so the container side was not run.',
      'The VM side failed: No answer from the guest agent.',
    ]);
  });

  it('kernel: the shared kernel, a Docker Desktop engine, the VM kernel', () => {
    const kernel = (release: string) => ({ release, version: `Linux version ${release}` });
    const shared = kernelConclusion({ host: '6.1.0-41-amd64', container: measured(kernel('6.1.0-41-amd64')), vm: measured(kernel('6.1.0-56-amd64')) });
    expect(shared.findings).toEqual({ hostRelease: '6.1.0-41-amd64', containerRelease: '6.1.0-41-amd64', sameKernel: 'yes', vmRelease: '6.1.0-56-amd64', vmSameRelease: 'no' });
    expect(shared.conclusion).toContain("kernel 6.1.0-41-amd64, the host's own");
    expect(shared.conclusion).toContain('The VM reported kernel 6.1.0-56-amd64: its own kernel');
    const desktop = kernelConclusion({ host: '6.8.0-45-generic', container: measured(kernel('6.10.4-linuxkit')), vm: absent });
    expect(desktop.findings.sameKernel).toBe('no');
    expect(desktop.conclusion).toMatch(/inside a VM of its own \(as Docker Desktop does\).*No VM was chosen/);
    const unread = kernelConclusion({ container: measured(kernel('6.1.0-41-amd64')), vm: { state: 'failed', error: 'The command in the VM did not finish within 120 s' } });
    expect(unread.findings).toEqual({ containerRelease: '6.1.0-41-amd64' });
    expect(unread.conclusion).toBe(
      "The host's kernel could not be read, so nothing was compared with it. The container reported kernel 6.1.0-41-amd64. The VM side failed: The command in the VM did not finish within 120 s.",
    );
  });

  it('host-sees: host pids for the container, one qemu process for the VM', () => {
    const outcome = hostSeesConclusion({
      hostProcesses: 95,
      container: measured({ inside: 3, onHost: 1, hostPids: [19118], pid1HostPid: 19118 }),
      vm: measured({ inside: 14, qemuPid: 4242, qemuRssBytes: 225 * 1024 * 1024, qemuThreads: 4 }),
    });
    expect(outcome.conclusion).toContain('ps listed 3 processes');
    expect(outcome.conclusion).toContain('1 process of the container still running among its own 95, as host PID 19118');
    expect(outcome.conclusion).toContain('only one qemu process (PID 4242, 225 MiB resident, 4 threads)');
    expect(outcome.findings).toMatchObject({ containerPid1HostPid: 19118, qemuPid: 4242, vmProcessesInside: 14 });
  });

  it('memory-limit: from the measured exit state, event and qemu sizes', () => {
    const outcome = memoryConclusion({
      container: measured({ exitCode: 137, oomKilled: true, oomEvent: true }),
      vm: measured({
        memoryBytes: 256 * 1024 * 1024,
        requestedBytes: 320 * 1024 * 1024,
        outcome: 'refused',
        exitCode: 1,
        message: 'dd: out of memory',
        rssBeforeBytes: 200 * 1024 * 1024,
        rssAfterBytes: 201 * 1024 * 1024,
        peakRssBytes: 226 * 1024 * 1024,
      }),
    });
    expect(outcome.conclusion).toContain("(exit code 137 = killed by SIGKILL), the engine recorded OOMKilled=true and sent an 'oom' event");
    expect(outcome.conclusion).toContain('dd asked the guest for 320 MiB, more than the whole VM (256 MiB): the guest\'s own kernel refused the allocation ("dd: out of memory", exit code 1)');
    expect(outcome.conclusion).toContain('went from 200 MiB to 201 MiB resident (at most 226 MiB over its whole life): it did not grow by what the guest asked for');
    const unkilled = memoryConclusion({ container: measured({ exitCode: 0, oomKilled: false, oomEvent: false }), vm: absent });
    expect(unkilled.conclusion).toContain('yet it was not OOM-killed: exit code 0, OOMKilled=false, no oom event');
    expect(unkilled.findings).toEqual({ containerExitCode: 0, oomKilled: 'false', oomEvent: 'not seen' });
  });

  it('pids-limit: the measured counts, against the limit', () => {
    const outcome = pidsConclusion({ container: measured(readForkFlood(floodInContainer)), vm: measured(readForkFlood('started=100\nrefused=0\nprocesses=140\n')) });
    expect(outcome.conclusion).toContain('started 30 of 100 background processes and 70 forks were refused ("can\'t fork"), 70 of them counted by the pids cgroup');
    expect(outcome.conclusion).toContain('it held 31 processes, PID 1 included, within the limit');
    expect(outcome.conclusion).toContain('In the VM, the same loop started 100 of 100 (0 refused; 140 processes visible)');
    expect(outcome.findings).toMatchObject({ containerStarted: 30, containerRefused: 70, containerPidsLimit: 32, vmStarted: 100, vmRefused: 0 });
  });

  it('race: the medians and the ratio, and that the VM is emulated', () => {
    const result: RaceResult = {
      runs: 1,
      container: [{ run: 1, phases: { create: 110, start: 420, 'first-output': 480 } }],
      vm: [{ run: 1, phases: { start: 900, ready: 6600 }, readyBy: 'ready marker on the serial console' }],
      median: { container: { create: 110, start: 420, 'first-output': 480 }, vm: { start: 900, ready: 6600 } },
      commands: { container: ['docker run …'], vm: ['virsh start …'] },
    };
    const outcome = raceConclusion(result, 'tcg');
    expect(outcome.conclusion).toContain('the container took 480 ms (created after 110 ms)');
    expect(outcome.conclusion).toContain('The VM took 6.6 s to be ready (ready marker on the serial console), about 14 times as long');
    expect(outcome.conclusion).toContain('software emulation (TCG, no KVM)');
    expect(outcome.findings).toEqual({ containerCreateMs: 110, containerStartMs: 420, containerFirstOutputMs: 480, vmStartMs: 900, vmReadyMs: 6600, acceleration: 'tcg' });
    const failed = raceConclusion({ ...result, vm: [{ run: 1, phases: {}, error: { code: 'TIMEOUT', message: 'no ready marker within 120 s' } }], median: { ...result.median, vm: {} } }, 'kvm');
    expect(failed.conclusion).toContain('The VM did not get to ready: no ready marker within 120 s.');
  });

  it("race: each subject's phases as lines, from the race's events", () => {
    // The events of one race run against the test guest on this machine (TCG).
    const events: RaceEvent[] = [
      { type: 'phase', subject: 'container', run: 1, phase: 'create', atMs: 26 },
      { type: 'phase', subject: 'container', run: 1, phase: 'start', atMs: 248 },
      { type: 'phase', subject: 'container', run: 1, phase: 'first-output', atMs: 249 },
      { type: 'run', subject: 'container', result: { run: 1, phases: { create: 26, start: 248, 'first-output': 249 }, readyBy: 'ready line: isolab-race-ready' } },
      { type: 'phase', subject: 'vm', run: 1, phase: 'start', atMs: 395 },
      { type: 'phase', subject: 'vm', run: 1, phase: 'ready', atMs: 5807 },
      { type: 'run', subject: 'vm', result: { run: 1, phases: { start: 395 }, error: { code: 'TIMEOUT', message: 'no agent answer within 120 s' } } },
    ];
    expect(raceLines(events, 'container')).toBe('created after 26 ms\nstarted after 248 ms\nfirst output after 249 ms\nready by: ready line: isolab-race-ready\n');
    expect(raceLines(events, 'vm')).toBe('started after 395 ms\nready after 5.8 s\nfailed: no agent answer within 120 s\n');
  });

  it('portability: the same image id, the disk and boot files', () => {
    const imageId = 'sha256:03f0b1f46cfd5bcd24ef5f82d4c027235340a1e90c696a6dbaa76800902d342f';
    const outcome = portabilityConclusion({
      container: measured({ imageIds: [imageId, imageId], sizeBytes: 1984230, outputs: ['Linux 7e49e9dd7261 6.18.44-fc-v595 #1 SMP x86_64 GNU/Linux', '269'] }),
      vm: measured({ disks: [{ path: '/var/lib/libvirt/images/web.qcow2', format: 'qcow2', capacityBytes: 2 ** 31, allocationBytes: 340 * 2 ** 20 }], bootFiles: [] }),
    });
    expect(outcome.findings).toMatchObject({ imageId, sameImage: 'yes', disk1: '/var/lib/libvirt/images/web.qcow2', disk1AllocatedBytes: 340 * 2 ** 20 });
    expect(outcome.conclusion).toContain('the same image, sha256:03f0b1f46cfd… (2 MiB)');
    expect(outcome.conclusion).toContain(`sh -c 'ls /bin | wc -l' printed "269"`);
    expect(outcome.conclusion).toContain("The VM's disk is a file on the host: /var/lib/libvirt/images/web.qcow2 (qcow2, 2.0 GiB for the guest, 340 MiB on the host's disk)");
  });

  it('docker-in-vm: claims only what it measured', () => {
    const reached = dockerInVmConclusion({ vm: 'dock', address: '192.168.122.40', port: { state: 'open', ms: 3 }, docker: { exitCode: 0, serverVersion: '26.1.5', message: '' }, keys: 1 });
    expect(reached.conclusion).toMatch(/^Docker Engine 26\.1\.5 answered from inside VM dock at 192\.168\.122\.40 over SSH/);
    expect(reached.findings).toMatchObject({ dockerServerVersion: '26.1.5', sshPort: 'open' });
    const noAddress = dockerInVmConclusion({ vm: 'guest', keys: 0 });
    expect(noAddress.conclusion).toMatch(/^Docker inside this VM was not reached from the host: VM guest has no IPv4 address/);
    expect(noAddress.conclusion).toContain(`ssh ${dockerSshUser}@ADDRESS true`);
    const closed = dockerInVmConclusion({ vm: 'guest', address: '192.168.122.9', port: { state: 'refused', ms: 1, reason: 'ECONNREFUSED' }, keys: 0 });
    expect(closed.conclusion).toContain('192.168.122.9 refused the connection to port 22 (ECONNREFUSED): nothing listens there');
    const denied = dockerInVmConclusion({ vm: 'guest', address: '192.168.122.9', port: { state: 'open', ms: 1 }, docker: { exitCode: 1, message: 'Permission denied (publickey).' }, keys: 1 });
    expect(denied.conclusion).toContain('failed (exit code 1: Permission denied (publickey).)');
    expect(denied.conclusion).not.toContain('answered from inside');
    const notInstalled = dockerInVmConclusion({ vm: 'guest', inside: { via: 'serial console', installed: false }, keys: 0 });
    expect(notInstalled.conclusion).toMatch(/^Inside VM guest \(through its serial console\) there is no docker command: Docker is not installed there\. Docker inside this VM was not reached from the host/);
    expect(notInstalled.findings.dockerInside).toBe('not installed');
    const noShell = dockerInVmConclusion({ vm: 'guest', inside: { error: 'the console is busy' }, keys: 0 });
    expect(noShell.conclusion).toMatch(/^No shell reached inside VM guest \(the console is busy\)\./);
    expect(noShell.findings.dockerInside).toBe('unknown');
  });
});
