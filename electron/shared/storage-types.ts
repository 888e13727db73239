// What the storage methods return: libvirt storage pools and their volumes, as plain data for the wire.
// Pure TypeScript; imports nothing.

export type StoragePoolState = 'running' | 'inactive' | 'building' | 'degraded' | 'inaccessible';

export interface StoragePool {
  name: string;
  uuid: string;
  /** libvirt's pool type: dir, fs, logical, netfs… */
  type: string;
  state: StoragePoolState;
  autostart: boolean;
  persistent: boolean;
  /** The target directory (for dir pools, where the volume files are). */
  path?: string;
  /** Bytes; 0 while the pool is inactive (libvirt does not know then). */
  capacityBytes: number;
  allocationBytes: number;
  availableBytes: number;
}

export interface StorageVolume {
  name: string;
  /** The volume's key path, which domains' disks point at. */
  path: string;
  /** libvirt's volume type: file, block, dir… */
  type: string;
  /** qcow2, raw, iso… as libvirt detects it. */
  format?: string;
  /** The size the guest sees, bytes. */
  capacityBytes: number;
  /** Bytes the volume uses on the host (sparse files and qcow2 use less than their capacity). */
  allocationBytes: number;
  /** A backing file (qcow2 overlays), when there is one. */
  backingPath?: string;
}

/** Where Isolab would create the default pool, and whether it is needed. */
export interface DefaultPoolPlan {
  name: string;
  path: string;
  /** False when a pool with that name already exists. */
  needed: boolean;
}
