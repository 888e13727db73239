// Creates a VM from the wizard's spec: checks it against the host (names, memory, pools, paths), then downloads,
// prepares volumes, builds the cloud-init seed, defines and starts, reporting progress; any failure or cancel
// undoes every step done so far, newest first. Plain Node; never imports electron.
import { mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AppError, isAppError } from '@shared/errors';
import type { StoragePool } from '@shared/storage-types';
import { seedVolumeName, systemVolumeName } from '@shared/vm-create-command';
import type { VmCreateSpec } from '@shared/vm-create-schemas';
import type { VmCreateCheck, VmCreated, VmCreateOptions, VmCreateProblem, VmCreateProgress } from '@shared/vm-create-types';
import { messageOf } from '../app-errors';
import type { BackendConfig } from '../config';
import type { CommandRunner } from '../exec';
import { buildSeedFiles, hashPassword, writeSeedIso } from './cloud-init';
import { buildDomainXml, type DomainBuildSpec, type DomainDisk } from './domain-xml-build';
import { downloadFile, verifyFileSha256 } from './download';
import type { OsinfoService } from './osinfo';
import { isLocalUri, withXmlFile, type StorageService } from './storage';
import type { CreateHost } from './vm-create-host';
import type { Virsh } from './virsh';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** Uploading a multi-GiB image into a pool takes minutes, not the seconds a virsh call gets. */
const uploadTimeoutMs = 60 * 60 * 1000;

function formatMiB(bytes: number): string {
  return `${Math.floor(bytes / MiB)} MiB`;
}

function formatGiB(bytes: number): string {
  return `${(bytes / GiB).toFixed(1)} GiB`;
}

/** `qemu-img info --output=json`: what an image file holds. */
export interface ImageInfo {
  format: string;
  virtualBytes: number;
  actualBytes: number;
  backingFile?: string;
}

export async function readImageInfo(run: CommandRunner, file: string, signal?: AbortSignal): Promise<ImageInfo> {
  // -U: reading the header of an image a running VM has open is safe, and otherwise refused.
  const result = await run('qemu-img', ['info', '--output=json', '-U', file], { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
  if (result.exitCode !== 0) {
    throw new AppError('INVALID_ARGUMENT', `${file} is not a disk image qemu-img can read.`, { detail: result.stderr.trim() });
  }
  const info = JSON.parse(result.stdout) as { format?: string; 'virtual-size'?: number; 'actual-size'?: number; 'backing-filename'?: string };
  return {
    format: info.format ?? 'raw',
    virtualBytes: info['virtual-size'] ?? 0,
    actualBytes: info['actual-size'] ?? 0,
    ...(info['backing-filename'] ? { backingFile: info['backing-filename'] } : {}),
  };
}

/** Where virtlogd keeps the serial console's output, so it can be read after the fact (no pty needed). */
export function serialLogFile(uri: string, name: string, config: Pick<BackendConfig, 'env' | 'identity'>): string | undefined {
  const file = `${name}-serial0.log`;
  if (uri === 'qemu:///session' && config.identity.uid !== 0) {
    const xdg = config.env.XDG_CACHE_HOME;
    const cache = xdg && path.isAbsolute(xdg) ? xdg : path.join(config.identity.home, '.cache');
    return path.join(cache, 'libvirt', 'qemu', 'log', file);
  }
  if (uri === 'qemu:///system' || uri === 'qemu:///session' || uri.endsWith('/system') || uri.includes('/system?')) {
    return path.join('/var/log/libvirt/qemu', file);
  }
  return undefined;
}

type ProblemCode = 'CONFLICT' | 'INVALID_ARGUMENT';
interface Problem extends VmCreateProblem {
  code: ProblemCode;
}

/** What checking found out, for the steps that follow. */
interface Plan {
  options: VmCreateOptions;
  osinfoUrl?: string;
  /** Local image file (cloud image from a file, an existing disk). */
  image?: ImageInfo;
}

function inside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

async function fileProblem(file: string, field: string, what: string): Promise<Problem | undefined> {
  const found = await stat(file).catch(() => undefined);
  if (!found) return { field, code: 'INVALID_ARGUMENT', message: `There is no ${what} at ${file}.` };
  if (!found.isFile()) return { field, code: 'INVALID_ARGUMENT', message: `${file} is not a file.` };
  return undefined;
}

export interface VmCreateDependencies {
  virsh: Virsh;
  run: CommandRunner;
  storage: StorageService;
  osinfo: OsinfoService;
  host: CreateHost;
  config: Pick<BackendConfig, 'env' | 'identity'>;
  hashPassword?: (password: string, signal?: AbortSignal) => Promise<string>;
}

export type VmCreateService = ReturnType<typeof createVmCreateService>;

export function createVmCreateService(deps: VmCreateDependencies) {
  const { virsh, run, storage, osinfo, host, config } = deps;
  const hash = deps.hashPassword ?? hashPassword;

  /** Problems with a new volume called `volume` in `poolName` that needs `bytes` of space. */
  async function newVolumeProblems(
    spec: VmCreateSpec,
    pools: StoragePool[],
    poolName: string,
    poolField: string,
    volume: string,
    bytes: number,
    sizeField: string,
  ): Promise<Problem[]> {
    const pool = pools.find((candidate) => candidate.name === poolName);
    if (!pool) return [{ field: poolField, code: 'INVALID_ARGUMENT', message: `There is no storage pool named ${poolName} on ${spec.uri}.` }];
    if (pool.state !== 'running') return [{ field: poolField, code: 'INVALID_ARGUMENT', message: `The pool ${poolName} is not active: start it on the Storage page.` }];
    const problems: Problem[] = [];
    if (bytes > pool.availableBytes) {
      problems.push({ field: sizeField, code: 'INVALID_ARGUMENT', message: `The pool ${poolName} has only ${formatGiB(pool.availableBytes)} free; this needs ${formatGiB(bytes)}.` });
    }
    if ((await storage.volumeNames(spec.uri, poolName)).includes(volume)) {
      problems.push({ field: 'name', code: 'CONFLICT', message: `The pool ${poolName} already has a volume named ${volume}: choose another VM name, or delete that volume.` });
    }
    return problems;
  }

  async function sourceProblems(spec: VmCreateSpec, plan: Plan): Promise<Problem[]> {
    const { source } = spec;
    const { pools, seedTool } = plan.options;
    const local = isLocalUri(spec.uri);
    const problems: (Problem | undefined)[] = [];
    switch (source.kind) {
      case 'iso':
        if (local) problems.push(await fileProblem(source.isoPath, 'source.isoPath', 'ISO image'));
        problems.push(...(await newVolumeProblems(spec, pools, source.disk.pool, 'source.disk.pool', systemVolumeName(spec.name), source.disk.sizeGiB * GiB, 'source.disk.sizeGiB')));
        break;
      case 'kernel':
        if (local) {
          problems.push(await fileProblem(source.kernelPath, 'source.kernelPath', 'kernel'));
          if (source.initrdPath) problems.push(await fileProblem(source.initrdPath, 'source.initrdPath', 'initrd'));
        }
        if (source.disk) {
          problems.push(...(await newVolumeProblems(spec, pools, source.disk.pool, 'source.disk.pool', systemVolumeName(spec.name), source.disk.sizeGiB * GiB, 'source.disk.sizeGiB')));
        }
        break;
      case 'cloudImage': {
        if (!seedTool.available) problems.push({ field: 'source.cloudInit', code: 'INVALID_ARGUMENT', message: `${seedTool.fix?.text ?? 'No ISO tool.'} (${seedTool.fix?.command ?? ''})` });
        let format = 'qcow2';
        if (source.image.from === 'file') {
          const missing = await fileProblem(source.image.path, 'source.image.path', 'cloud image');
          problems.push(missing);
          if (!missing) {
            plan.image = await readImageInfo(run, source.image.path).catch((error: unknown) => {
              problems.push({ field: 'source.image.path', code: 'INVALID_ARGUMENT', message: messageOf(error) });
              return undefined;
            });
            format = plan.image?.format === 'raw' ? 'raw' : 'qcow2';
            if (plan.image && plan.image.virtualBytes > source.disk.sizeGiB * GiB) {
              problems.push({ field: 'source.disk.sizeGiB', code: 'INVALID_ARGUMENT', message: `The image is ${formatGiB(plan.image.virtualBytes)}: make the disk at least that large.` });
            }
          }
        }
        const poolProblems = await newVolumeProblems(spec, pools, source.disk.pool, 'source.disk.pool', systemVolumeName(spec.name, format as 'qcow2' | 'raw'), source.disk.sizeGiB * GiB, 'source.disk.sizeGiB');
        problems.push(...poolProblems);
        if (poolProblems.every((problem) => problem.field !== 'source.disk.pool') && (await storage.volumeNames(spec.uri, source.disk.pool)).includes(seedVolumeName(spec.name))) {
          problems.push({ field: 'name', code: 'CONFLICT', message: `The pool ${source.disk.pool} already has a volume named ${seedVolumeName(spec.name)}.` });
        }
        break;
      }
      case 'existingDisk': {
        const missing = await fileProblem(source.path, 'source.path', 'disk image');
        problems.push(missing);
        if (missing) break;
        plan.image = await readImageInfo(run, source.path).catch((error: unknown) => {
          problems.push({ field: 'source.path', code: 'INVALID_ARGUMENT', message: messageOf(error) });
          return undefined;
        });
        if (source.storage.mode === 'inPlace') {
          const real = await realpath(source.path);
          const dirs = pools.filter((pool) => pool.state === 'running' && pool.type === 'dir' && pool.path).map((pool) => pool.path as string);
          if (!dirs.some((dir) => inside(dir, real))) {
            problems.push({
              field: 'source.path',
              code: 'INVALID_ARGUMENT',
              message: `${source.path} is outside every storage pool: import it (copy it into a pool), or create a pool for its folder first.`,
            });
          }
        } else {
          if (plan.image?.backingFile) {
            problems.push({ field: 'source.path', code: 'INVALID_ARGUMENT', message: `${source.path} is an overlay on ${plan.image.backingFile}; a copy would lose that base. Use it in place.` });
          }
          const format = plan.image?.format === 'raw' ? 'raw' : 'qcow2';
          problems.push(...(await newVolumeProblems(spec, pools, source.storage.pool, 'source.storage.pool', systemVolumeName(spec.name, format), plan.image?.actualBytes ?? 0, 'source.storage.pool')));
        }
        break;
      }
    }
    return problems.filter((problem): problem is Problem => problem !== undefined);
  }

  async function inspect(spec: VmCreateSpec, signal?: AbortSignal): Promise<{ problems: Problem[]; plan: Plan }> {
    const options = await host.options(spec.uri, signal);
    const plan: Plan = { options };
    const problems: Problem[] = [];
    if (options.existingNames.includes(spec.name)) {
      problems.push({ field: 'name', code: 'CONFLICT', message: `A VM named ${spec.name} already exists on ${spec.uri}.` });
    }
    if (spec.memoryMiB * MiB > options.host.memoryBytes) {
      problems.push({ field: 'memoryMiB', code: 'INVALID_ARGUMENT', message: `The host has only ${formatMiB(options.host.memoryBytes)} of memory.` });
    }
    if (options.host.cpus > 0 && spec.vcpus > options.host.cpus) {
      problems.push({ field: 'vcpus', code: 'INVALID_ARGUMENT', message: `The host has ${options.host.cpus} CPUs; give the VM at most that many.` });
    }
    if (spec.firmware === 'uefi' && !options.uefi.available) {
      problems.push({ field: 'firmware', code: 'INVALID_ARGUMENT', message: `UEFI firmware (OVMF) is not installed: ${options.uefi.fix?.command ?? 'install ovmf'}.` });
    }
    const choice = spec.network;
    if (choice.kind === 'network') {
      const network = options.networks.find((candidate) => candidate.name === choice.network);
      if (!network) problems.push({ field: 'network.network', code: 'INVALID_ARGUMENT', message: `There is no libvirt network named ${choice.network}.` });
      else if (!network.active && spec.start) {
        problems.push({ field: 'network.network', code: 'INVALID_ARGUMENT', message: `The network ${network.name} is not running: start it, or create the VM without starting it.` });
      }
    }
    if (spec.osId) {
      if (!options.osinfo.available) problems.push({ field: 'osId', code: 'INVALID_ARGUMENT', message: 'osinfo-query is not installed: choose "Generic", or install libosinfo-bin.' });
      else {
        plan.osinfoUrl = await osinfo.urlFor(spec.osId, signal).catch(() => {
          problems.push({ field: 'osId', code: 'INVALID_ARGUMENT', message: `osinfo-db does not know "${spec.osId}".` });
          return undefined;
        });
      }
    }
    problems.push(...(await sourceProblems(spec, plan)));
    return { problems, plan };
  }

  function domainSpec(spec: VmCreateSpec, plan: Plan, disks: DomainDisk[]): DomainBuildSpec {
    const logFile = serialLogFile(spec.uri, spec.name, config);
    return {
      name: spec.name,
      type: plan.options.domainType,
      memoryMiB: spec.memoryMiB,
      vcpus: spec.vcpus,
      firmware: spec.firmware,
      ...(plan.osinfoUrl ? { osinfoId: plan.osinfoUrl } : {}),
      ...(spec.source.kind === 'kernel'
        ? { kernel: { kernelPath: spec.source.kernelPath, ...(spec.source.initrdPath ? { initrdPath: spec.source.initrdPath } : {}), cmdline: spec.source.cmdline } }
        : {}),
      disks,
      ...(spec.network.kind === 'network'
        ? { nic: { kind: 'network', network: spec.network.network, model: spec.nicModel } }
        : spec.network.kind === 'user'
          ? { nic: { kind: 'user', model: spec.nicModel } }
          : {}),
      graphics: spec.graphics,
      virtioDevices: spec.diskBus === 'virtio',
      ...(logFile ? { serialLogFile: logFile } : {}),
    };
  }

  /** The disks as they will be, for the preview XML (the volumes' paths are their pool's folder + name). */
  function plannedDisks(spec: VmCreateSpec, plan: Plan): DomainDisk[] {
    const poolPath = (name: string) => plan.options.pools.find((pool) => pool.name === name)?.path ?? `/${name}`;
    const { source } = spec;
    const imageFormat = plan.image?.format === 'raw' ? 'raw' : 'qcow2';
    const system = (pool: string, format: 'qcow2' | 'raw', bootOrder?: number): DomainDisk => ({
      device: 'disk',
      path: path.join(poolPath(pool), systemVolumeName(spec.name, format)),
      format,
      bus: spec.diskBus,
      ...(bootOrder === undefined ? {} : { bootOrder }),
    });
    switch (source.kind) {
      case 'iso':
        return [{ device: 'cdrom', path: source.isoPath, format: 'raw', bus: 'sata', bootOrder: 1 }, system(source.disk.pool, 'qcow2', 2)];
      case 'kernel':
        return source.disk ? [system(source.disk.pool, 'qcow2')] : [];
      case 'cloudImage':
        return [
          system(source.disk.pool, imageFormat, 1),
          { device: 'cdrom', path: path.join(poolPath(source.disk.pool), seedVolumeName(spec.name)), format: 'raw', bus: 'sata' },
        ];
      case 'existingDisk':
        return source.storage.mode === 'inPlace'
          ? [{ device: 'disk', path: source.path, format: plan.image?.format ?? 'raw', bus: spec.diskBus, bootOrder: 1 }]
          : [system(source.storage.pool, imageFormat, 1)];
    }
  }

  function problemsError(problems: Problem[]): AppError {
    const conflict = problems.some((problem) => problem.code === 'CONFLICT');
    const [first] = problems;
    return new AppError(conflict ? 'CONFLICT' : 'INVALID_ARGUMENT', first?.message ?? 'The VM settings are not valid.', {
      detail: problems.map((problem) => `${problem.field}: ${problem.message}`).join('\n'),
    });
  }

  return {
    async check(spec: VmCreateSpec, signal?: AbortSignal): Promise<VmCreateCheck> {
      const { problems, plan } = await inspect(spec, signal);
      if (problems.length > 0) return { problems: problems.map(({ field, message }) => ({ field, message })) };
      return { problems: [], xml: buildDomainXml(domainSpec(spec, plan, plannedDisks(spec, plan))) };
    },

    async create(spec: VmCreateSpec, onProgress: (progress: VmCreateProgress) => void, signal?: AbortSignal): Promise<VmCreated> {
      const undo: { what: string; action: () => Promise<unknown> }[] = [];
      const volumes: string[] = [];
      const step = (progress: VmCreateProgress) => {
        signal?.throwIfAborted();
        onProgress(progress);
      };
      const given = signal ? { signal } : {};
      let workDir: string | undefined;
      const work = async () => (workDir ??= await mkdtemp(path.join(os.tmpdir(), 'isolab-create-')));

      /** A new volume, uploaded from `file` when given, removed again if a later step fails. */
      const addVolume = async (pool: string, name: string, capacityBytes: number, format: 'qcow2' | 'raw', file?: string) => {
        await virsh.run(spec.uri, ['vol-create-as', pool, name, `${Math.max(capacityBytes, MiB)}b`, '--format', format], given);
        undo.push({ what: `volume ${pool}/${name}`, action: () => storage.deleteVolume(spec.uri, pool, name) });
        if (file) {
          await storage.uploadVolume(spec.uri, pool, name, file, uploadTimeoutMs, signal);
          // The upload replaced the file's bytes; libvirt learns its format and sizes again.
          await virsh.run(spec.uri, ['pool-refresh', pool], given);
        }
        const created = await storage.volume(spec.uri, pool, name);
        volumes.push(created.path);
        return created;
      };

      try {
        step({ step: 'checking', message: `Checking the settings for ${spec.name}` });
        const { problems, plan } = await inspect(spec, signal);
        if (problems.length > 0) throw problemsError(problems);
        const disks: DomainDisk[] = [];
        const { source } = spec;

        if (source.kind === 'iso' || source.kind === 'kernel') {
          if (source.disk) {
            step({ step: 'preparing-disk', message: `Creating the ${source.disk.sizeGiB} GiB disk in ${source.disk.pool}` });
            const volume = await addVolume(source.disk.pool, systemVolumeName(spec.name), source.disk.sizeGiB * GiB, 'qcow2');
            disks.push({ device: 'disk', path: volume.path, format: 'qcow2', bus: spec.diskBus, ...(source.kind === 'iso' ? { bootOrder: 2 } : {}) });
          }
          if (source.kind === 'iso') disks.unshift({ device: 'cdrom', path: source.isoPath, format: 'raw', bus: 'sata', bootOrder: 1 });
        }

        if (source.kind === 'cloudImage') {
          let imageFile: string;
          const image = source.image;
          if (image.from === 'url') {
            imageFile = path.join(await work(), 'image');
            step({ step: 'downloading', message: `Downloading ${image.url}`, download: { receivedBytes: 0 } });
            await downloadFile(image.url, imageFile, image.sha256, {
              ...given,
              onProgress: (download) => step({ step: 'downloading', message: `Downloading ${image.url}`, download }),
            });
            plan.image = await readImageInfo(run, imageFile, signal);
            if (plan.image.virtualBytes > source.disk.sizeGiB * GiB) {
              throw new AppError('INVALID_ARGUMENT', `The image is ${formatGiB(plan.image.virtualBytes)}: make the disk at least that large.`, {
                detail: `source.disk.sizeGiB: the downloaded image needs ${formatGiB(plan.image.virtualBytes)}`,
              });
            }
          } else {
            imageFile = image.path;
            if (image.sha256) {
              step({ step: 'verifying', message: `Checking the SHA-256 of ${imageFile}` });
              await verifyFileSha256(imageFile, image.sha256, signal);
            }
          }
          const format = plan.image?.format === 'raw' ? 'raw' : 'qcow2';
          step({ step: 'preparing-disk', message: `Copying the image into ${source.disk.pool}` });
          const volume = await addVolume(source.disk.pool, systemVolumeName(spec.name, format), plan.image?.virtualBytes ?? MiB, format, imageFile);
          await storage.resizeVolume(spec.uri, source.disk.pool, volume.name, source.disk.sizeGiB * GiB);
          disks.push({ device: 'disk', path: volume.path, format, bus: spec.diskBus, bootOrder: 1 });

          step({ step: 'building-seed', message: 'Building the cloud-init seed' });
          const { password } = source.cloudInit;
          const passwordHash = password ? await hash(password, signal) : undefined;
          const seedFile = path.join(await work(), 'seed.iso');
          const seedTool = plan.options.seedTool.program;
          if (!seedTool) throw new AppError('NOT_FOUND', 'No program to build the cloud-init seed ISO.', plan.options.seedTool.fix ? { fix: plan.options.seedTool.fix } : {});
          await writeSeedIso(run, seedTool, buildSeedFiles(source.cloudInit, `${spec.name}-${randomUUID()}`, passwordHash), seedFile, signal);
          const seed = await addVolume(source.disk.pool, seedVolumeName(spec.name), (await stat(seedFile)).size, 'raw', seedFile);
          disks.push({ device: 'cdrom', path: seed.path, format: 'raw', bus: 'sata' });
        }

        if (source.kind === 'existingDisk') {
          const format = plan.image?.format ?? 'raw';
          if (source.storage.mode === 'inPlace') {
            disks.push({ device: 'disk', path: source.path, format, bus: spec.diskBus, bootOrder: 1 });
          } else {
            const volumeFormat = format === 'raw' ? 'raw' : 'qcow2';
            step({ step: 'preparing-disk', message: `Copying ${source.path} into ${source.storage.pool}` });
            const volume = await addVolume(source.storage.pool, systemVolumeName(spec.name, volumeFormat), plan.image?.virtualBytes ?? MiB, volumeFormat, source.path);
            disks.push({ device: 'disk', path: volume.path, format: volumeFormat, bus: spec.diskBus, bootOrder: 1 });
          }
        }

        step({ step: 'defining', message: `Defining ${spec.name}` });
        const build = domainSpec(spec, plan, disks);
        await withXmlFile(buildDomainXml(build), (file) => virsh.run(spec.uri, ['define', file], given));
        undo.push({
          what: `the definition of ${spec.name}`,
          action: async () => {
            await virsh.run(spec.uri, ['destroy', spec.name]).catch(() => undefined);
            await virsh.run(spec.uri, ['undefine', spec.name, ...(spec.firmware === 'uefi' ? ['--nvram'] : [])]);
            if (build.serialLogFile && isLocalUri(spec.uri)) await rm(build.serialLogFile, { force: true });
          },
        });

        if (spec.start) {
          step({ step: 'starting', message: `Starting ${spec.name}` });
          await virsh.run(spec.uri, ['start', spec.name], given);
        }
        const created: VmCreated = { uri: spec.uri, name: spec.name, domainType: plan.options.domainType, started: spec.start, volumes };
        undo.length = 0;
        onProgress({ step: 'done', message: `${spec.name} is ${spec.start ? 'running' : 'defined'}`, result: created });
        return created;
      } catch (error) {
        const failures: string[] = [];
        for (const { what, action } of undo.reverse()) {
          await action().catch((undoError: unknown) => failures.push(`could not remove ${what}: ${messageOf(undoError)}`));
        }
        const reason = isAppError(error) ? error : new AppError(signal?.aborted ? 'UNAVAILABLE' : 'INTERNAL', `Creating ${spec.name} failed: ${messageOf(error)}`, { cause: error });
        if (failures.length === 0) throw reason;
        throw new AppError(reason.code, `${reason.message} Cleaning up was incomplete.`, {
          detail: [reason.detail, ...failures].filter(Boolean).join('\n'),
          ...(reason.fix ? { fix: reason.fix } : {}),
          cause: error,
        });
      } finally {
        if (workDir) await rm(workDir, { recursive: true, force: true });
      }
    },
  };
}
