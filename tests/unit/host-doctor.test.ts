// The whole doctor over one complete fixture tree: an Intel bare-metal Fedora host with KVM usable, modular
// libvirt answering through a fake virsh runner, and no Docker socket (real sockets probed in a temp dir).
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostReport } from '@shared/types';
import { createHostDoctor } from '../../electron/backend/host/doctor';
import { copyHostFixture, fakeProgram, fakeVirshRunner, identity, readFixture, testConfig, type FakeRunner } from './host-fixture-support';

describe('createHostDoctor(...).report() on an Intel bare-metal Fedora host', () => {
  let dir: string;
  let runner: FakeRunner;
  let report: HostReport;

  beforeAll(async () => {
    ({ dir } = await copyHostFixture('intel-fedora-kvm'));
    // Fedora's udev rule makes /dev/kvm 0666; git keeps no modes, so set it here.
    await fs.chmod(path.join(dir, 'dev', 'kvm'), 0o666);
    // dockerd and virtqemud are installed (on this tree's PATH), but dockerd is not running.
    await fakeProgram(path.join(dir, 'bin'), 'dockerd');
    await fakeProgram(path.join(dir, 'bin'), 'virtqemud');
    await fs.mkdir(path.join(dir, 'xdg'));

    const recorded = (file: string) => readFixture('libvirt', 'this-machine', file);
    const capabilities = await readFixture('libvirt', 'capabilities-formatcaps-example.xml');
    runner = fakeVirshRunner({
      '--version': { stdout: await recorded('virsh-version.txt') },
      'qemu:///system version --daemon': { stdout: await recorded('version-daemon.txt') },
      'qemu:///system capabilities': { stdout: capabilities },
      'qemu:///system net-info default': { stdout: await recorded('net-info-active-autostart.txt') },
      'qemu:///system pool-info default': { stdout: await recorded('pool-info-running.txt') },
      'qemu:///system pool-dumpxml default': { stdout: await recorded('pool-dumpxml.xml') },
      'qemu:///session version --daemon': { stdout: await recorded('session-version-daemon-user.txt') },
      'qemu:///session capabilities': { stdout: capabilities },
    });
    const config = testConfig({
      dir,
      identity: identity({ uid: 1000, gid: 1000, groups: [1000, 10, 974], name: 'alice', home: path.join(dir, 'home', 'alice') }),
      checkTimeoutMs: 1500,
    });
    report = await createHostDoctor(config, runner.run).report();
  });

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('describes the host from the tree', () => {
    expect(report.host).toMatchObject({
      os: 'Fedora Linux 38 (Container Image)',
      kernel: '6.4.12-200.fc38.x86_64',
      cpuModel: 'Intel(R) Core(TM) i7-4800MQ CPU @ 2.70GHz',
      cpuCount: 2,
      memoryBytes: 24684096 * 1024,
      user: 'alice',
      uid: 1000,
      initSystem: 'systemd',
    });
    expect(Number.isNaN(Date.parse(report.generatedAt))).toBe(false);
  });

  it('KVM: usable hardware acceleration, nested on', () => {
    expect(report.kvm.status).toBe('ok');
    expect(report.kvm.facts).toMatchObject({ acceleration: 'kvm', modules: ['kvm', 'kvm_intel'], nested: true, hostIsVirtualMachine: false });
    expect(report.kvm.facts.device).toEqual({ present: true, usable: true, mode: '0666', owner: expect.any(String), group: expect.any(String) });
  });

  it('libvirt: modular virtqemud, both connections reachable, default network and pool fine', () => {
    expect(runner.unexpected).toEqual([]);
    expect(runner.calls.every((call) => call.file === 'virsh' && call.options.timeoutMs === 1500)).toBe(true);
    expect(report.libvirt.status).toBe('ok');
    expect(report.libvirt.summary).toBe('libvirt 9.0.0 (modular virtqemud), QEMU 7.2.22');
    expect(report.libvirt.facts.daemon).toEqual({ mode: 'modular', running: ['virtqemud'] });
    expect(report.libvirt.facts.connections.map((c) => [c.uri, c.reachable, c.domainTypes, c.servedBySystemDaemon])).toEqual([
      ['qemu:///system', true, ['qemu', 'kvm'], false],
      ['qemu:///session', true, ['qemu', 'kvm'], false],
    ]);
    expect(report.libvirt.facts.connections[0]?.defaultPool).toEqual({ active: true, autostart: true, path: '/tmp/rec/pooldir' });
  });

  it('Docker: no socket anywhere, dockerd installed: start it with systemd', () => {
    expect(report.docker.status).toBe('error');
    expect(report.docker.summary).toBe('No Docker endpoint answers');
    expect(report.docker.facts.endpoints.map((e) => [e.address, e.state])).toEqual([
      [`unix://${dir}/docker.sock`, 'missing'],
      [`unix://${dir}/xdg/docker.sock`, 'missing'],
      [`unix://${dir}/xdg/podman/podman.sock`, 'missing'],
      [`unix://${dir}/podman.sock`, 'missing'],
    ]);
    const endpoint = report.docker.checks.find((c) => c.id === 'docker.endpoint');
    expect(endpoint?.detail).toBe('dockerd is installed but not running: none of the sockets exists.');
    expect(endpoint?.fix?.command).toBe('sudo systemctl enable --now docker');
    expect(report.docker.facts.engine).toBeNull();
  });

  it('groups: libvirt active, kvm missing for alice, no docker group', () => {
    expect(report.groups.summary).toBe('alice is in libvirt');
    expect(report.groups.checks.map((c) => [c.id, c.status, c.fix?.command])).toEqual([
      ['groups.kvm', 'warning', 'sudo usermod -aG kvm alice'],
      ['groups.libvirt', 'ok', undefined],
      ['groups.docker', 'ok', undefined],
    ]);
  });
});
