// One engine stats document turned into the numbers `docker stats` shows: CPU % from the deltas against the
// previous reading, memory without the reclaimable page cache, network and block I/O summed. Pure; never imports electron.
import type { ContainerStatsSample } from '@shared/docker-types';

interface CpuStats {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null };
  system_cpu_usage?: number;
  online_cpus?: number;
}

/** The parts of GET /containers/{id}/stats the sample uses (cgroup v1 and v2 engines). */
export interface EngineStats {
  read?: string;
  cpu_stats?: CpuStats;
  precpu_stats?: CpuStats;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> | null };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }> | null;
  blkio_stats?: { io_service_bytes_recursive?: { op?: string; value?: number }[] | null };
  pids_stats?: { current?: number };
}

/** The sample, or undefined for the zeroed documents the engine keeps sending for a container that is not running. */
export function statsSample(stats: EngineStats): ContainerStatsSample | undefined {
  const time = Date.parse(stats.read ?? '');
  // A stopped container's documents carry Go's zero time (0001-01-01).
  if (!Number.isFinite(time) || time <= 0) return undefined;
  const cpu = stats.cpu_stats ?? {};
  const previous = stats.precpu_stats ?? {};
  const onlineCpus = cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 1;
  const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (previous.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu.system_cpu_usage ?? 0) - (previous.system_cpu_usage ?? 0);
  // The first document of a stream has no previous reading: no delta, so no percentage yet.
  const cpuPercent = previous.system_cpu_usage && systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * onlineCpus * 100 : 0;

  const memory = stats.memory_stats ?? {};
  const usage = memory.usage ?? 0;
  // As the docker CLI (20.10+): cgroup v1 reports total_inactive_file, v2 inactive_file; that page cache can be
  // reclaimed at any time, so it is not counted as used (the older "usage - cache" overstated the saving).
  const inactive = memory.stats?.total_inactive_file ?? memory.stats?.inactive_file ?? 0;
  const memoryUsage = inactive < usage ? usage - inactive : usage;

  let networkRx = 0;
  let networkTx = 0;
  for (const network of Object.values(stats.networks ?? {})) {
    networkRx += network.rx_bytes ?? 0;
    networkTx += network.tx_bytes ?? 0;
  }
  let blockRead = 0;
  let blockWrite = 0;
  for (const entry of stats.blkio_stats?.io_service_bytes_recursive ?? []) {
    // cgroup v1 says "Read"/"Write", v2 "read"/"write".
    const op = (entry.op ?? '').toLowerCase();
    if (op === 'read') blockRead += entry.value ?? 0;
    else if (op === 'write') blockWrite += entry.value ?? 0;
  }
  return {
    time,
    cpuPercent,
    onlineCpus,
    memoryUsage,
    memoryLimit: memory.limit ?? 0,
    networkRx,
    networkTx,
    blockRead,
    blockWrite,
    pids: stats.pids_stats?.current ?? 0,
  };
}
