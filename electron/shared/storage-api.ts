// Contract part: libvirt storage pools (list, create a directory pool, the default pool) and their volumes
// (list, create, delete, resize). Spread into api.ts; pure TypeScript plus zod, no node:*, DOM or electron.
import { z } from 'zod';
import { method, type MethodSpec, type StreamSpec } from './contract';
import { hostPathSchema, newPoolNameSchema, newVolumeNameSchema, volumeFormatSchema, volumeSizeBytesSchema } from './storage-schemas';
import type { DefaultPoolPlan, StoragePool, StorageVolume } from './storage-types';
import { connectionUriSchema, existingNameSchema } from './vm-schemas';

const byUri = z.strictObject({ uri: connectionUriSchema });
const poolRef = z.strictObject({ uri: connectionUriSchema, pool: existingNameSchema });
const volumeRef = poolRef.extend({ volume: existingNameSchema });

export const storageMethods = {
  /** Every pool, active or not, with capacity, allocation and free space. */
  'storage.pools': method<StoragePool[]>()(byUri),
  /** Define, build (mkdir), start and autostart a directory pool. */
  'storage.createPool': method<StoragePool>()(byUri.extend({ name: newPoolNameSchema, path: hostPathSchema })),
  /** Stop and undefine a pool; its folder and volumes stay, unless `deleteFolder` (only when it is empty). */
  'storage.deletePool': method<void>()(poolRef.extend({ deleteFolder: z.boolean().default(false) })),
  /** Start an inactive pool. */
  'storage.startPool': method<StoragePool>()(poolRef),
  /** Whether the connection lacks the default pool, and where Isolab would make it. */
  'storage.defaultPoolPlan': method<DefaultPoolPlan>()(byUri),
  /** Create the default pool (see defaultPoolPlan); CONFLICT when it exists. */
  'storage.createDefaultPool': method<StoragePool>()(byUri),

  'storage.volumes': method<StorageVolume[]>()(poolRef),
  'storage.createVolume': method<StorageVolume>()(
    poolRef.extend({ name: newVolumeNameSchema, capacityBytes: volumeSizeBytesSchema, format: volumeFormatSchema.default('qcow2') }),
  ),
  'storage.deleteVolume': method<void>()(volumeRef),
  /** Grow a volume to `capacityBytes` (the guest's partitions are not touched); shrinking is refused. */
  'storage.resizeVolume': method<StorageVolume>()(volumeRef.extend({ capacityBytes: volumeSizeBytesSchema })),
} as const satisfies Record<string, MethodSpec>;

export const storageStreams = {} as const satisfies Record<string, StreamSpec>;
