// How storage numbers read: GiB sizes in forms, a pool's use as a percentage. Pure functions; never imports
// node:*, electron or backend code.
import type { StoragePool } from '@shared/storage-types';
import { formatBytes } from '../docker/format';

export const GiB = 1024 ** 3;

export function usedPercent(pool: StoragePool): number {
  return pool.capacityBytes > 0 ? Math.min(100, (pool.allocationBytes / pool.capacityBytes) * 100) : 0;
}

/** "12 GiB free of 50 GiB" for a running pool; its state otherwise. */
export function poolSpace(pool: StoragePool): string {
  return pool.state === 'running' ? `${formatBytes(pool.availableBytes)} free of ${formatBytes(pool.capacityBytes)}` : pool.state;
}
