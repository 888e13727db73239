// The Compare lab's probe parsers on recorded outputs (a host with iproute2, busybox in a container, a guest's
// initramfs), the findings the table and the export share, and the exported report's values.
import { describe, expect, it } from 'vitest';
import { engineRealityCheck, namespaceDifferences, probeRows } from '@shared/compare-findings';
import type { CompareSubjects, ProbeRun } from '@shared/compare-types';
import { cgroupLimit, keyValues, probeById } from '../../electron/backend/compare/probes';
import { labMarkdown, labReport } from '../../renderer/src/features/compare/lab-report';
import type { LabState } from '../../renderer/src/features/compare/lab-store';

const hostNamespaces = 'cgroup=cgroup:[4026531835]\nipc=ipc:[4026531839]\nmnt=mnt:[4026531832]\nnet=net:[4026531833]\npid=pid:[4026531836]\nuts=uts:[4026531838]\n';
const containerNamespaces = 'cgroup=cgroup:[4026531835]\nipc=ipc:[4026532184]\nmnt=mnt:[4026532182]\nnet=net:[4026532186]\npid=pid:[4026532185]\nuts=uts:[4026532183]\n';

describe('probe parsers', () => {
  it('reads key=value lines, keeping "=" inside values', () => {
    expect(keyValues('version=Linux version 6.1 (gcc=12)\nnoise\nrelease=6.1.0\n')).toEqual(
      new Map([
        ['version', 'Linux version 6.1 (gcc=12)'],
        ['release', '6.1.0'],
      ]),
    );
  });

  it('kernel: release and version', () => {
    expect(probeById('kernel').parse('release=6.1.0-28-amd64\nversion=Linux version 6.1.0-28-amd64 (debian-kernel@lists.debian.org)\n')).toMatchObject({
      summary: '6.1.0-28-amd64',
      fields: { release: '6.1.0-28-amd64' },
    });
    expect(() => probeById('kernel').parse('')).toThrow(/release/);
  });

  it('memory: MemTotal and MemAvailable in bytes', () => {
    const value = probeById('memory').parse('MemTotal:         230596 kB\nMemAvailable:     190000 kB\n');
    expect(value.fields).toEqual({ totalBytes: 230596 * 1024, availableBytes: 190000 * 1024 });
    expect(value.summary).toBe('225 MiB total, 186 MiB available');
  });

  it('namespaces: the inode of each kind', () => {
    expect(probeById('namespaces').parse(containerNamespaces).fields).toMatchObject({ pid: '4026532185', cgroup: '4026531835' });
  });

  it('cgroup: v1 memory path and limits, unlimited written as none', () => {
    const v1 = probeById('cgroup').parse('4:memory:/docker/abc\n8:pids:/docker/abc\nlimit:memory/memory.limit_in_bytes=33554432\nlimit:pids/pids.max=max\n');
    expect(v1.fields).toEqual({ path: '/docker/abc', memoryLimit: 33554432, pidsLimit: 'none' });
    const v2 = probeById('cgroup').parse('0::/user.slice\nlimit:memory.max=max\nlimit:pids.max=64\n');
    expect(v2.fields).toEqual({ path: '/user.slice', memoryLimit: 'none', pidsLimit: 64 });
    expect(probeById('cgroup').parse('').fields.path).toBe('none');
    expect(cgroupLimit('9223372036854771712')).toBeNull();
  });

  it('network: addresses from ip -o addr, interfaces from /proc/net/dev (also with no address at all)', () => {
    const dev = '-- /proc/net/dev\nInter-|   Receive\n face |bytes\n    lo:       0       0\n  eth0:    1200      10\n';
    const ip = '1: lo    inet 127.0.0.1/8 scope host lo\\\n4: eth0    inet 172.17.0.2/16 brd 172.17.255.255 scope global eth0\\\n';
    expect(probeById('network').parse(ip + dev).fields).toEqual({ interfaces: 'lo eth0', addresses: 'lo 127.0.0.1/8, eth0 172.17.0.2/16' });
    expect(probeById('network').parse(dev)).toMatchObject({ summary: 'lo, eth0 (no IPv4 address)', fields: { addresses: 'none' } });
    expect(() => probeById('network').parse('-- /proc/net/dev\n')).toThrow(/no network interface/);
  });

  it('rootfs: type and df sizes, also when df wraps a long device name', () => {
    const wrapped = 'type=ext4\n/dev/mapper/very-long-volume-name\n               264212084  25783392  80607520  25% /\n';
    expect(probeById('rootfs').parse(wrapped).fields).toEqual({ type: 'ext4', sizeBytes: 264212084 * 1024, usedBytes: 25783392 * 1024 });
    const initramfs = "type=rootfs\ndf: /: can't find mount point\nFilesystem           1K-blocks      Used Available Use% Mounted on\n";
    expect(probeById('rootfs').parse(initramfs)).toEqual({ summary: 'rootfs, no fixed size (df cannot measure it)', fields: { type: 'rootfs' } });
  });

  it('cpu-loop: elapsed from /proc/uptime, at least its 10 ms resolution', () => {
    const value = probeById('cpu-loop').parse('sum=2999997\nawk=busybox awk\nstart=100.25\nend=103.75\n');
    expect(value.fields).toMatchObject({ loopMs: 3500, program: 'busybox awk' });
    expect(probeById('cpu-loop').parse('sum=1\nawk=awk\nstart=5.00\nend=5.00\n').fields.loopMs).toBe(10);
  });
});

function run(probe: ProbeRun['probe'], subject: ProbeRun['subject'], stdout: string): ProbeRun {
  return {
    probe,
    subject,
    via: subject === 'host' ? 'host' : subject === 'container' ? 'docker-exec' : 'serial-console',
    command: `sh -c ${probe}`,
    script: probe,
    stdout,
    stderr: '',
    exitCode: 0,
    startedAt: 0,
    durationMs: 5,
    value: probeById(probe).parse(stdout),
  };
}

const subjects: CompareSubjects = {
  host: { hostname: 'desk', kernelRelease: '6.18.0' },
  container: { id: 'c'.repeat(64), name: 'lab', image: 'local/busybox:latest', imageId: 'sha256:1', engineKernel: '6.18.0', engineOs: 'Debian' },
  vm: { uri: 'qemu:///system', name: 'guest', domainType: 'qemu', acceleration: 'tcg', vcpus: 1, memoryBytes: 256 * 1024 * 1024, via: 'serial-console' },
};

const runs = [
  run('kernel', 'host', 'release=6.18.0\nversion=Linux 6.18.0\n'),
  run('kernel', 'container', 'release=6.18.0\nversion=Linux 6.18.0\n'),
  run('kernel', 'vm', 'release=6.1.0-28-amd64\nversion=Linux 6.1.0\n'),
  run('namespaces', 'host', hostNamespaces),
  run('namespaces', 'container', containerNamespaces),
  run('cpu-loop', 'host', 'sum=1\nawk=busybox awk\nstart=1.00\nend=1.25\n'),
  run('cpu-loop', 'vm', 'sum=1\nawk=busybox awk\nstart=1.00\nend=6.00\n'),
];

describe('findings', () => {
  const rows = probeRows(subjects, runs, ['kernel', 'namespaces', 'cpu-loop']);

  it("marks the container's kernel as the host's and the VM's as its own", () => {
    expect(rows[0]?.verdict).toEqual({ container: 'same', vm: 'differs' });
    expect(rows[0]?.explanation).toContain("the host's own kernel (6.18.0)");
    expect(rows[0]?.explanation).toContain('its own kernel (6.1.0-28-amd64)');
    expect(rows[0]?.claims).toEqual([3, 4]);
  });

  it('names the namespaces the container has of its own and the ones it shares', () => {
    expect(namespaceDifferences(rows[1]!.runs.host!.value!.fields, rows[1]!.runs.container!.value!.fields)).toEqual(['ipc', 'mnt', 'net', 'pid', 'uts']);
    expect(rows[1]?.explanation).toContain('shares cgroup with the host');
  });

  it('gives the emulated VM its slowdown and says KVM would differ', () => {
    expect(rows[2]?.explanation).toContain('20.0x of the host');
    expect(rows[2]?.explanation).toContain('software emulation (TCG)');
  });

  it('warns when the engine kernel is not the host kernel (Docker Desktop)', () => {
    expect(engineRealityCheck(subjects, undefined)).toBeUndefined();
    expect(engineRealityCheck({ ...subjects, container: { ...subjects.container!, engineKernel: '5.15.49-linuxkit', engineOs: 'Docker Desktop' } }, undefined)).toContain('inside a VM');
  });
});

describe('export', () => {
  const state: LabState = {
    selection: {},
    probes: { running: false, subjects, runs },
    hostView: { loading: false },
    race: { running: false, runs: 0, progress: [], results: { container: [], vm: [] } },
    experiments: {},
  };

  it('JSON carries the subjects, every run with its command and raw output', () => {
    const report = labReport(state, new Date('2026-11-26T00:00:00Z'));
    expect(report.generatedAt).toBe('2026-11-26T00:00:00.000Z');
    expect(report.probes.map((row) => row.probe)).toEqual(['kernel', 'namespaces', 'cpu-loop']);
    expect(report.probes[0]?.runs.vm?.stdout).toContain('6.1.0-28-amd64');
  });

  it('Markdown shows the same values as the table, and fences output safely', () => {
    const markdown = labMarkdown(labReport({ ...state, probes: { ...state.probes, runs: [...runs, { ...run('hostname', 'host', 'hostname=a```b\n') }] } }));
    expect(markdown).toContain('| Kernel | 6.18.0 | 6.18.0 | 6.1.0-28-amd64 | 3, 4 |');
    expect(markdown).toContain('QEMU software emulation (TCG)');
    expect(markdown).toContain('````\nhostname=a```b\n````');
  });
});
