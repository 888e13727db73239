// The container list's view model: search, state filter, sort and compose grouping turned into the rows the
// table draws. Pure functions; never imports node:*, electron or backend code.
import type { ContainerState, ContainerSummary } from '@shared/docker-types';

export type StateFilter = 'all' | 'running' | 'stopped' | 'paused';
export type SortColumn = 'name' | 'created' | 'state';
export interface Sort {
  column: SortColumn;
  descending: boolean;
}

export type ListRow =
  | { kind: 'group'; project: string; count: number; running: number; collapsed: boolean }
  | { kind: 'container'; container: ContainerSummary; grouped: boolean };

const stoppedStates: ReadonlySet<ContainerState> = new Set(['created', 'exited', 'dead']);

export function matchesState(state: ContainerState, filter: StateFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'running') return state === 'running' || state === 'restarting';
  if (filter === 'paused') return state === 'paused';
  return stoppedStates.has(state);
}

/** Case-insensitive, over what a user would type: name, image, id prefix, compose project, ports. */
export function matchesSearch(container: ContainerSummary, search: string): boolean {
  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [
    container.name,
    container.image,
    container.id.slice(0, 12),
    container.composeProject ?? '',
    container.status,
    ...container.ports.map((port) => `${port.hostPort ?? ''}:${port.containerPort}`),
  ]
    .join(' ')
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

// Running first when sorting by state ascending: what a user usually looks for.
const stateOrder: Record<ContainerState, number> = { running: 0, restarting: 1, paused: 2, removing: 3, created: 4, exited: 5, dead: 6 };

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** By the column in the chosen direction; ties by name, then id, so rows never swap on an update. */
export function compareContainers(a: ContainerSummary, b: ContainerSummary, sort: Sort): number {
  const primary =
    sort.column === 'created' ? a.created - b.created : sort.column === 'state' ? stateOrder[a.state] - stateOrder[b.state] : collator.compare(a.name, b.name);
  const directed = sort.descending ? -primary : primary;
  return directed || collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Containers of a compose project sit under one header row (sorted among themselves); the others follow
 * without a header. Groups are ordered by project name.
 */
export function listRows(
  containers: ContainerSummary[],
  options: { search: string; filter: StateFilter; sort: Sort; collapsed: ReadonlySet<string> },
): ListRow[] {
  const shown = containers
    .filter((container) => matchesState(container.state, options.filter) && matchesSearch(container, options.search))
    .sort((a, b) => compareContainers(a, b, options.sort));
  const groups = new Map<string, ContainerSummary[]>();
  const loose: ContainerSummary[] = [];
  for (const container of shown) {
    if (container.composeProject) {
      const members = groups.get(container.composeProject) ?? [];
      members.push(container);
      groups.set(container.composeProject, members);
    } else {
      loose.push(container);
    }
  }
  const rows: ListRow[] = [];
  for (const project of [...groups.keys()].sort(collator.compare)) {
    const members = groups.get(project) ?? [];
    const collapsed = options.collapsed.has(project);
    rows.push({ kind: 'group', project, count: members.length, running: members.filter((member) => member.state === 'running').length, collapsed });
    if (!collapsed) for (const container of members) rows.push({ kind: 'container', container, grouped: true });
  }
  for (const container of loose) rows.push({ kind: 'container', container, grouped: false });
  return rows;
}
