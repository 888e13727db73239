// The host doctor: reads the host once per report (in parallel, each engine call with its own timeout) and
// assesses KVM, libvirt, Docker and groups into one HostReport. Plain Node; never imports electron.
import os from 'node:os';
import path from 'node:path';
import { stat } from 'node:fs/promises';
import type { HostInfo, HostReport } from '@shared/types';
import type { BackendConfig } from '../config';
import { runCommand, type CommandRunner } from '../exec';
import { createVirsh } from '../libvirt/virsh';
import { assessDocker, observeDocker } from './docker-check';
import type { FixContext } from './fixes';
import { assessGroups, observeGroups } from './groups-check';
import { readAccounts, readOptional } from './host-files';
import { assessKvm, observeKvm } from './kvm-check';
import { assessLibvirt, observeLibvirt } from './libvirt-check';
import { distroFamily, parseCpuinfo, parseOsRelease } from './parsers';

export interface HostDoctor {
  report(signal?: AbortSignal): Promise<HostReport>;
}

const machineNames: Partial<Record<string, string>> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i686' };

function fixContextOf(release: Record<string, string>, systemd: boolean, identity: BackendConfig['identity']): FixContext {
  return { distro: distroFamily(release), systemd, isRoot: identity.uid === 0, user: identity.name };
}

function bootedWithSystemd(roots: BackendConfig['roots']): Promise<boolean> {
  return stat(path.join(roots.run, 'systemd', 'system')).then(
    (found) => found.isDirectory(),
    () => false,
  );
}

/** What fix commands depend on (distribution, systemd, root), for services that explain failures outside a report. */
export async function readFixContext(config: BackendConfig): Promise<FixContext> {
  const [osRelease, systemd] = await Promise.all([readOptional(path.join(config.roots.etc, 'os-release')), bootedWithSystemd(config.roots)]);
  return fixContextOf(parseOsRelease(osRelease ?? ''), systemd, config.identity);
}

async function readHostInfo(config: BackendConfig): Promise<{ info: HostInfo; context: FixContext }> {
  const { roots, identity } = config;
  const [osRelease, kernel, cpuinfo, meminfo, systemd] = await Promise.all([
    readOptional(path.join(roots.etc, 'os-release')),
    readOptional(path.join(roots.proc, 'sys', 'kernel', 'osrelease')),
    readOptional(path.join(roots.proc, 'cpuinfo')),
    readOptional(path.join(roots.proc, 'meminfo')),
    bootedWithSystemd(roots),
  ]);
  const release = parseOsRelease(osRelease ?? '');
  const cpu = parseCpuinfo(cpuinfo ?? '');
  const memoryKib = Number(/^MemTotal:\s+(\d+)\s+kB/m.exec(meminfo ?? '')?.[1] ?? 0);
  return {
    info: {
      hostname: os.hostname(),
      os: release.PRETTY_NAME ?? release.NAME ?? 'Linux',
      kernel: kernel?.trim() ?? os.release(),
      arch: machineNames[process.arch] ?? process.arch,
      cpuModel: cpu.model,
      cpuCount: cpu.processors || os.cpus().length,
      memoryBytes: memoryKib > 0 ? memoryKib * 1024 : os.totalmem(),
      user: identity.name,
      uid: identity.uid,
      initSystem: systemd ? 'systemd' : 'other',
    },
    context: fixContextOf(release, systemd, identity),
  };
}

export function createHostDoctor(config: BackendConfig, run: CommandRunner = runCommand): HostDoctor {
  return {
    async report(signal) {
      const started = performance.now();
      const virsh = createVirsh(run, { timeoutMs: config.checkTimeoutMs, ...(signal ? { signal } : {}) }, { ...config.env });
      const [{ info, context }, accounts] = await Promise.all([readHostInfo(config), readAccounts(config.roots)]);
      const [kvm, libvirt, docker] = await Promise.all([
        observeKvm(config.roots, accounts),
        observeLibvirt(virsh, config.libvirt.uris, config.roots, config.programPath, accounts),
        observeDocker(config, accounts, signal),
      ]);
      return {
        generatedAt: new Date().toISOString(),
        durationMs: Math.round(performance.now() - started),
        host: info,
        kvm: assessKvm(kvm, context),
        libvirt: assessLibvirt(libvirt, context),
        docker: assessDocker(docker, context),
        groups: assessGroups(observeGroups(config.identity, accounts), context),
      };
    },
  };
}
