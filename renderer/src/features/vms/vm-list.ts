// What the VM list shows: search, state filter and sort over the rows as libvirt reported them.
// Pure functions; never imports node:*, electron or backend code.
import type { VmState, VmSummary } from '@shared/vm-types';

export type VmStateFilter = 'all' | 'running' | 'off' | 'paused';
export type VmSortColumn = 'name' | 'state' | 'vcpus' | 'memory' | 'disk';
export interface VmSort {
  column: VmSortColumn;
  descending: boolean;
}

const filterStates: Record<Exclude<VmStateFilter, 'all'>, VmState[]> = {
  running: ['running', 'blocked', 'shutdown'],
  off: ['shutoff', 'crashed', 'nostate'],
  paused: ['paused', 'pmsuspended'],
};

const stateOrder: VmState[] = ['running', 'blocked', 'shutdown', 'paused', 'pmsuspended', 'crashed', 'shutoff', 'nostate'];

const compareBy: Record<VmSortColumn, (a: VmSummary, b: VmSummary) => number> = {
  name: (a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }),
  state: (a, b) => stateOrder.indexOf(a.state) - stateOrder.indexOf(b.state),
  vcpus: (a, b) => a.vcpus - b.vcpus,
  memory: (a, b) => a.memoryBytes - b.memoryBytes,
  disk: (a, b) => (a.diskBytes ?? -1) - (b.diskBytes ?? -1),
};

export function visibleVms(vms: VmSummary[], options: { search: string; filter: VmStateFilter; sort: VmSort }): VmSummary[] {
  const needle = options.search.trim().toLowerCase();
  const shown = vms.filter((vm) => {
    if (options.filter !== 'all' && !filterStates[options.filter].includes(vm.state)) return false;
    if (!needle) return true;
    return [vm.name, vm.title ?? '', vm.osId ?? '', vm.uuid, ...vm.addresses].some((text) => text.toLowerCase().includes(needle));
  });
  const compare = compareBy[options.sort.column];
  return shown.sort((a, b) => {
    const order = compare(a, b) || compareBy.name(a, b);
    return options.sort.descending ? -order : order;
  });
}
