// The stats math against a document recorded from this machine's dockerd (cgroup v1), and edited copies for the
// cases it does not show: page cache to leave out, cgroup v2 names, block I/O, a stopped container's zero document.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { statsSample, type EngineStats } from '../../electron/backend/docker/container-stats-math';

const recorded = JSON.parse(
  fs.readFileSync(fileURLToPath(new URL('../fixtures/docker/stats-busy-cgroup-v1.json', import.meta.url)), 'utf8'),
) as EngineStats & { memory_stats: { stats: Record<string, number> } };

describe('statsSample', () => {
  it('computes CPU % as the docker CLI does: CPU delta / system delta × online CPUs × 100', () => {
    const sample = statsSample(recorded);
    // The recorded container spins one shell loop on a 2-CPU machine: one full CPU.
    const cpu = recorded.cpu_stats!;
    const pre = recorded.precpu_stats!;
    const expected =
      ((cpu.cpu_usage!.total_usage! - pre.cpu_usage!.total_usage!) / (cpu.system_cpu_usage! - pre.system_cpu_usage!)) * 2 * 100;
    expect(sample?.cpuPercent).toBeCloseTo(expected, 10);
    expect(sample?.cpuPercent).toBeGreaterThan(95);
    expect(sample?.cpuPercent).toBeLessThan(105);
    expect(sample).toMatchObject({
      time: Date.parse('2026-11-25T22:02:06.628499859Z'),
      onlineCpus: 2,
      memoryUsage: 782336,
      memoryLimit: 25276514304,
      networkRx: 1072,
      networkTx: 336,
      blockRead: 0,
      blockWrite: 0,
      pids: 1,
    });
  });

  it('gives 0 % for the first document of a stream, which has no previous reading', () => {
    const first = { ...recorded, precpu_stats: { cpu_usage: { total_usage: 0 } } };
    expect(statsSample(first)?.cpuPercent).toBe(0);
  });

  it('leaves out inactive page cache: total_inactive_file on cgroup v1, inactive_file on v2', () => {
    const v1 = { ...recorded, memory_stats: { ...recorded.memory_stats, usage: 10_000_000, stats: { ...recorded.memory_stats.stats, total_inactive_file: 4_000_000 } } };
    expect(statsSample(v1)?.memoryUsage).toBe(6_000_000);
    const v2: EngineStats = { ...recorded, memory_stats: { usage: 10_000_000, limit: 20_000_000, stats: { inactive_file: 3_000_000, anon: 7_000_000 } } };
    expect(statsSample(v2)?.memoryUsage).toBe(7_000_000);
  });

  it('sums every network and block I/O in either cgroup version', () => {
    const sample = statsSample({
      ...recorded,
      networks: { eth0: { rx_bytes: 100, tx_bytes: 10 }, eth1: { rx_bytes: 50, tx_bytes: 5 } },
      blkio_stats: {
        io_service_bytes_recursive: [
          { op: 'Read', value: 4096 },
          { op: 'Write', value: 8192 },
          { op: 'Total', value: 12288 },
          { op: 'read', value: 1 },
          { op: 'write', value: 2 },
        ],
      },
    });
    expect(sample).toMatchObject({ networkRx: 150, networkTx: 15, blockRead: 4097, blockWrite: 8194 });
  });

  it('skips the zeroed documents the engine keeps sending for a stopped container', () => {
    expect(statsSample({ read: '0001-01-01T00:00:00Z', pids_stats: {}, memory_stats: {} })).toBeUndefined();
  });
});
