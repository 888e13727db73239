// The Compare lab's host view: a container's processes as the host sees them (host and container pids), its
// cgroup memory and image layers; a VM as its one qemu process (RSS, threads) and its disk files. Read from the
// engines and the host's /proc. Never imports electron.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { HostProcessRow, HostView } from '@shared/compare-types';
import { AppError } from '@shared/errors';
import type { VmDetail } from '@shared/vm-types';
import { statsSample, type EngineStats } from '../docker/container-stats-math';
import { containerLabel } from '../docker/containers';
import type { DockerAccess } from '../docker/docker-access';
import { parsePasswdFile } from '../host/parsers';
import { namespacePid } from '../terminal/process-tree';

export interface HostViewDeps {
  docker: DockerAccess;
  /** The VM's detail (XML facts and domblkinfo), as the VM pages read it. */
  vmDetail(uri: string, name: string): Promise<VmDetail>;
  roots: { proc: string; etc: string };
}

interface ProcStatus {
  uid: number;
  rssBytes: number;
  threads: number;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function parseProcStatus(text: string): ProcStatus {
  const field = (name: string) => /^(\S+):\s+(\d+)/m.exec(text.split('\n').find((line) => line.startsWith(`${name}:`)) ?? '')?.[2];
  return { uid: Number(field('Uid') ?? -1), rssBytes: Number(field('VmRSS') ?? 0) * 1024, threads: Number(field('Threads') ?? 0) };
}

/** qemu's `-name guest=NAME,…` (or a bare `-name NAME`) in a NUL-separated command line. */
export function isQemuFor(cmdline: string, name: string): boolean {
  const args = cmdline.split('\0');
  const at = args.indexOf('-name');
  if (at < 0 || !/qemu/.test(path.basename(args[0] ?? ''))) return false;
  const value = args[at + 1] ?? '';
  const guest = value.startsWith('guest=') ? value.slice('guest='.length).split(/(?<!,),(?!,)/)[0]?.replaceAll(',,', ',') : value;
  return guest === name;
}

export function createHostView(deps: HostViewDeps) {
  const { proc, etc } = deps.roots;

  async function userNames(): Promise<Map<number, string>> {
    return new Map(parsePasswdFile((await readText(path.join(etc, 'passwd'))) ?? '').map((entry) => [entry.uid, entry.name]));
  }

  async function pids(): Promise<number[]> {
    return (await fs.readdir(proc)).filter((entry) => /^\d+$/.test(entry)).map(Number);
  }

  async function processRow(pid: number, users: Map<number, string>): Promise<(HostProcessRow & { threads: number }) | undefined> {
    const status = await readText(path.join(proc, String(pid), 'status'));
    if (status === undefined) return undefined;
    const facts = parseProcStatus(status);
    const cmdline = (await readText(path.join(proc, String(pid), 'cmdline'))) ?? '';
    const innerPid = await namespacePid(proc, pid);
    return {
      hostPid: pid,
      ...(innerPid !== undefined && innerPid !== pid ? { innerPid } : {}),
      user: users.get(facts.uid) ?? String(facts.uid),
      command: cmdline.split('\0').filter(Boolean).join(' '),
      rssBytes: facts.rssBytes,
      threads: facts.threads,
    };
  }

  async function containerView(id: string, signal: AbortSignal): Promise<NonNullable<HostView['container']>> {
    const users = await userNames();
    return deps.docker.withEngine(`Reading container ${containerLabel(id)} from the host`, async (docker) => {
      const container = docker.getContainer(id);
      const facts = (await container.inspect({ size: true, abortSignal: signal } as object)) as unknown as {
        Image: string;
        SizeRw?: number;
        State?: { Running?: boolean; Pid?: number };
        HostConfig?: { Memory?: number };
      };
      if (!facts.State?.Running) {
        throw new AppError('CONFLICT', `Container ${containerLabel(id)} is not running, so the host sees no process of it`, { fix: { text: 'Start the container first.' } });
      }
      const top = (await container.top({ ps_args: '-eo pid', abortSignal: signal } as object)) as { Processes?: string[][] | null };
      const hostPids = (top.Processes ?? []).map((row) => Number(row[0])).filter(Number.isInteger);
      const processes = (await Promise.all(hostPids.map((pid) => processRow(pid, users)))).filter((row) => row !== undefined).map(({ threads: _threads, ...row }) => row);
      const stats = (await container.stats({ stream: false, abortSignal: signal } as object)) as unknown as EngineStats;
      const sample = statsSample(stats);
      const image = (await docker.getImage(facts.Image).inspect()) as unknown as { Id: string; Size: number; RootFS?: { Layers?: string[] } };
      const usage = (await docker.df()) as { Images?: { Id: string; SharedSize: number }[] | null };
      const shared = usage.Images?.find((entry) => entry.Id === image.Id)?.SharedSize;
      return {
        processes,
        memoryUsageBytes: sample?.memoryUsage ?? 0,
        memoryLimitBytes: facts.HostConfig?.Memory ? facts.HostConfig.Memory : null,
        image: { id: image.Id, sizeBytes: image.Size, layers: image.RootFS?.Layers?.length ?? 0, sharedSizeBytes: shared !== undefined && shared >= 0 ? shared : null },
        writableLayerBytes: facts.SizeRw ?? 0,
        sources: [
          `docker top ${containerLabel(id)} -eo pid (host pids), then /proc/PID/status NSpid (pid inside) and VmRSS`,
          `docker stats --no-stream ${containerLabel(id)} (cgroup memory without reclaimable page cache)`,
          `docker image inspect ${image.Id.slice(7, 19)} (size, layers); docker system df -v (shared size)`,
          `docker inspect --size ${containerLabel(id)} (writable layer)`,
        ],
      };
    });
  }

  async function vmView(uri: string, name: string): Promise<NonNullable<HostView['vm']>> {
    if (uri.includes('+')) {
      throw new AppError('INVALID_ARGUMENT', `The host view reads this machine's processes, and ${name} runs on ${uri}`, {
        fix: { text: 'Choose a VM of qemu:///system or qemu:///session for the host view.' },
      });
    }
    const detail = await deps.vmDetail(uri, name);
    const users = await userNames();
    let qemu: (HostProcessRow & { threads: number }) | undefined;
    if (detail.state === 'running' || detail.state === 'paused') {
      for (const pid of await pids()) {
        const cmdline = await readText(path.join(proc, String(pid), 'cmdline'));
        if (cmdline && isQemuFor(cmdline, name)) {
          qemu = await processRow(pid, users);
          break;
        }
      }
    }
    const bootFiles = [];
    for (const file of [detail.directKernelBoot?.kernel, detail.directKernelBoot?.initrd]) {
      if (!file) continue;
      const stat = await fs.stat(file).catch(() => undefined);
      if (stat) bootFiles.push({ path: file, sizeBytes: stat.size });
    }
    return {
      ...(qemu ? { qemu } : {}),
      memoryBytes: detail.memoryBytes,
      disks: detail.disks
        .filter((disk) => disk.device === 'disk' && disk.source)
        .map((disk) => ({ target: disk.target, path: disk.source!, capacityBytes: disk.capacityBytes ?? 0, allocationBytes: disk.allocationBytes ?? 0 })),
      bootFiles,
      sources: [
        `/proc/*/cmdline: the qemu process started with -name guest=${name}; /proc/PID/status (VmRSS, Threads)`,
        `virsh domblklist ${name} --details; virsh domblkinfo ${name} TARGET (capacity, allocation)`,
      ],
    };
  }

  return {
    async read(args: { container?: string; vm?: { uri: string; name: string } }, signal: AbortSignal): Promise<HostView> {
      const [container, vm, all] = await Promise.all([
        args.container ? containerView(args.container, signal) : undefined,
        args.vm ? vmView(args.vm.uri, args.vm.name) : undefined,
        pids(),
      ]);
      return { takenAt: Date.now(), hostProcessCount: all.length, ...(container ? { container } : {}), ...(vm ? { vm } : {}) };
    },
  };
}

export type HostViewReader = ReturnType<typeof createHostView>;
