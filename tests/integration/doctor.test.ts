// The host doctor against the real engines from tests/env: as root, as the unprivileged test user, with
// dockerd stopped and started again, and with both daemons hung (each check's timeout keeps the report coming).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { HostReport } from '@shared/types';
import { loadConfig } from '../../electron/backend/config';
import { createHostDoctor } from '../../electron/backend/host/doctor';
import { daemonPid, dockerServerVersion, engines, libvirtDaemonVersion } from './helpers/engines';

const testUser = process.env.ISOLAB_TEST_USER ?? 'isolab-test';
const reportAsScript = fileURLToPath(new URL('./helpers/host-report-as.ts', import.meta.url));

function reportAs(user: string): HostReport {
  const json = execFileSync(process.execPath, ['--import', 'tsx', reportAsScript, user], {
    encoding: 'utf8',
    env: { ...process.env, TSX_TSCONFIG_PATH: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) },
  });
  return JSON.parse(json) as HostReport;
}

function check(report: HostReport, section: 'kvm' | 'libvirt' | 'docker' | 'groups', id: string) {
  const found = report[section].checks.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no check ${id} in ${section}: ${report[section].checks.map((c) => c.id).join(', ')}`);
  return found;
}

describe('the doctor as root', () => {
  it('reports the versions that docker and virsh report, and this host\'s KVM facts', async () => {
    const report = await createHostDoctor(loadConfig()).report();

    expect(report.host.uid).toBe(0);
    expect(report.docker.facts.engine?.serverVersion).toBe(dockerServerVersion());
    expect(report.docker.facts.endpoints.find((endpoint) => endpoint.used)?.address).toBe('unix:///var/run/docker.sock');
    expect(report.docker.status).toBe('ok');

    const system = report.libvirt.facts.connections.find((connection) => connection.uri === 'qemu:///system');
    expect(system?.reachable).toBe(true);
    expect(system?.daemonVersion).toBe(libvirtDaemonVersion());
    expect(system?.domainTypes).toContain('qemu');
    const session = report.libvirt.facts.connections.find((connection) => connection.uri === 'qemu:///session');
    expect(session?.servedBySystemDaemon).toBe(true);
    expect(report.libvirt.facts.daemon.running).toContain('libvirtd');

    expect(report.kvm.facts.device.present).toBe(fs.existsSync('/dev/kvm'));
    const vendorModule = ['kvm_intel', 'kvm_amd'].some((name) => fs.existsSync(`/sys/module/${name}`));
    expect(report.kvm.facts.acceleration).toBe(fs.existsSync('/dev/kvm') && vendorModule ? 'kvm' : 'tcg');
    expect(report.groups.facts.isRoot).toBe(true);
  });
});

describe(`the doctor as the unprivileged user ${testUser}`, () => {
  it('explains the Docker socket it may not open, and the groups that would let it', () => {
    const report = reportAs(testUser);

    expect(report.host.user).toBe(testUser);
    const rootful = report.docker.facts.endpoints.find((endpoint) => endpoint.source === 'rootful socket');
    expect(rootful?.state).toBe('permission-denied');
    expect(rootful?.message).toContain('root:docker');
    const endpoint = check(report, 'docker', 'docker.endpoint');
    expect(endpoint.status).toBe('error');
    expect(endpoint.fix?.command).toBe(`sudo usermod -aG docker ${testUser}`);

    const docker = check(report, 'groups', 'groups.docker');
    expect(docker.status).toBe('warning');
    expect(docker.fix?.command).toBe(`sudo usermod -aG docker ${testUser}`);

    if (fs.existsSync('/dev/kvm')) {
      expect(report.kvm.facts.device.usable).toBe(false);
      expect(check(report, 'kvm', 'kvm.device').status).toBe('warning');
    }
    expect(report.kvm.facts.acceleration).toBe('tcg');
    expect(report.groups.facts.isRoot).toBe(false);
  });
});

describe('the doctor while dockerd is stopped', () => {
  afterAll(() => engines('start-docker'));

  it('says Docker is unreachable, with the command that starts it, and recovers once it is back', async () => {
    const doctor = createHostDoctor(loadConfig());
    engines('stop-docker');

    const down = await doctor.report();
    expect(down.docker.status).toBe('error');
    expect(down.docker.facts.engine).toBeNull();
    const rootful = down.docker.facts.endpoints.find((endpoint) => endpoint.source === 'rootful socket');
    expect(['missing', 'refused']).toContain(rootful?.state);
    const endpoint = check(down, 'docker', 'docker.endpoint');
    expect(endpoint.summary).toMatch(/No Docker endpoint answers/);
    expect(endpoint.fix?.command).toMatch(/(systemctl (enable --now|restart) docker|service docker (start|restart))/);

    engines('start-docker');
    const up = await doctor.report();
    expect(up.docker.status).toBe('ok');
    expect(up.docker.facts.engine?.serverVersion).toBe(dockerServerVersion());
  });
});

describe('the doctor while both daemons hang', () => {
  const stopped: number[] = [];
  afterAll(() => {
    for (const pid of stopped) process.kill(pid, 'SIGCONT');
  });

  it('reports each hung daemon as a timeout instead of hanging itself', async () => {
    for (const name of ['dockerd', 'libvirtd'] as const) {
      const pid = daemonPid(name);
      process.kill(pid, 'SIGSTOP');
      stopped.push(pid);
    }
    const report = await createHostDoctor(loadConfig({ checkTimeoutMs: 1500 })).report();
    for (const pid of stopped.splice(0)) process.kill(pid, 'SIGCONT');

    const rootful = report.docker.facts.endpoints.find((endpoint) => endpoint.source === 'rootful socket');
    expect(rootful?.state).toBe('timeout');
    expect(check(report, 'docker', 'docker.endpoint').fix?.text).toMatch(/Restart the Docker daemon/);
    const system = check(report, 'libvirt', 'libvirt.connection.system');
    expect(system.status).toBe('error');
    expect(report.libvirt.facts.connections[0]?.error?.code).toBe('TIMEOUT');
  });
});
