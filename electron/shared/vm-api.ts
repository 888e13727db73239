// Contract part: Virtual machines through libvirt: connections, domains, lifecycle, snapshots, stats, storage, networks.
// Spread into api.ts; pure TypeScript plus zod, no node:*, DOM or electron.
import { z } from 'zod';
import { method, stream, type MethodSpec, type StreamSpec } from './contract';
import { connectionUriSchema, diskTargetSchema, domainRefSchema, existingNameSchema, newVmNameSchema, remoteUriSchema, snapshotNameSchema } from './vm-schemas';
import type {
  VmChange,
  VmCloneResult,
  VmConnection,
  VmDefaultNetworkPlan,
  VmDeleteResult,
  VmDetail,
  VmNetwork,
  VmNetworkChange,
  VmShutdownResult,
  VmSnapshot,
  VmStatsSample,
  VmSummary,
} from './vm-types';

const byUri = z.strictObject({ uri: connectionUriSchema });
const snapshotRef = z.strictObject({ uri: connectionUriSchema, name: existingNameSchema, snapshot: existingNameSchema });
const networkRef = z.strictObject({ uri: connectionUriSchema, name: existingNameSchema });

export const vmMethods = {
  /** The local connections and the remote ones the user added, each read now (reachable or why not, with the fix). */
  'vms.connections': method<VmConnection[]>()(z.strictObject({})),
  /** Remember a remote connection (qemu+ssh://user@host/system); returns every connection. */
  'vms.addConnection': method<VmConnection[]>()(z.strictObject({ uri: remoteUriSchema })),
  'vms.removeConnection': method<VmConnection[]>()(z.strictObject({ uri: remoteUriSchema })),

  'vms.list': method<VmSummary[]>()(byUri),
  'vms.detail': method<VmDetail>()(domainRefSchema),
  /** The domain XML as libvirt has it (live while running; `inactive`: the definition for the next start). */
  'vms.xml': method<string>()(domainRefSchema.extend({ inactive: z.boolean().default(false) })),

  'vms.start': method<void>()(domainRefSchema),
  /** ACPI power button, then wait up to `timeoutSeconds` for the guest to power off; 'ignored' means offer force off. */
  'vms.shutdown': method<VmShutdownResult>()(domainRefSchema.extend({ timeoutSeconds: z.number().int().min(1).max(600).default(60) })),
  /** Force off (virsh destroy): like pulling the plug. */
  'vms.destroy': method<void>()(domainRefSchema),
  'vms.reboot': method<void>()(domainRefSchema),
  /** Hard reset, without telling the guest. */
  'vms.reset': method<void>()(domainRefSchema),
  'vms.suspend': method<void>()(domainRefSchema),
  'vms.resume': method<void>()(domainRefSchema),
  'vms.setAutostart': method<void>()(domainRefSchema.extend({ autostart: z.boolean() })),
  /** Undefine (with snapshot metadata and UEFI NVRAM); deletes exactly the disks named by target, no other. */
  'vms.delete': method<VmDeleteResult>()(domainRefSchema.extend({ disks: z.array(diskTargetSchema).max(64).default([]) })),
  /** Copy a shut-off VM: its disks copied, a new UUID and new MAC addresses. */
  'vms.clone': method<VmCloneResult>()(domainRefSchema.extend({ newName: newVmNameSchema })),

  'vmSnapshots.list': method<VmSnapshot[]>()(domainRefSchema),
  /** An internal snapshot (every disk must be qcow2); with memory state when the VM runs. */
  'vmSnapshots.create': method<VmSnapshot>()(
    domainRefSchema.extend({ snapshot: snapshotNameSchema, description: z.string().max(1000, 'Use at most 1000 characters.').optional() }),
  ),
  'vmSnapshots.revert': method<void>()(snapshotRef),
  'vmSnapshots.delete': method<void>()(snapshotRef),

  'vmNetworks.list': method<VmNetwork[]>()(byUri),
  'vmNetworks.start': method<void>()(networkRef),
  'vmNetworks.stop': method<void>()(networkRef),
  'vmNetworks.setAutostart': method<void>()(networkRef.extend({ autostart: z.boolean() })),
  /** Whether the default NAT network exists, and whether dnsmasq (which it needs) is installed, with the fix. */
  'vmNetworks.defaultPlan': method<VmDefaultNetworkPlan>()(byUri),
  /** Define, start and autostart libvirt's default NAT network (virbr0, 192.168.122.0/24). */
  'vmNetworks.createDefault': method<VmNetwork>()(byUri),
} as const satisfies Record<string, MethodSpec>;

export const vmStreams = {
  /** The connection state, the whole list, then each domain read again after every libvirt event for it. */
  'vms.changed': stream<VmChange>()(byUri),
  /** libvirt network lifecycle events (`virsh net-event --loop`); `resync` when it listens and after a restart. */
  'vmNetworks.changed': stream<VmNetworkChange>()(byUri),
  /** One sample about every second from `virsh domstats`, read only while subscribed. */
  'vms.stats': stream<VmStatsSample>()(domainRefSchema),
} as const satisfies Record<string, StreamSpec>;
