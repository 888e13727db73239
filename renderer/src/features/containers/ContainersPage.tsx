// The Containers area: every container of the engine, live from docker.changed, with search, state filter,
// sort, compose groups, CPU and memory while shown, and single or bulk actions. Never imports node:*, electron or backend code.
import { Button, Group, Loader, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconPlayerPlay, IconPlayerStop, IconPlus, IconRefresh, IconSearch, IconTrash, IconX } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { ContainerSummary, ContainerUsage } from '@shared/docker-types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useRpcQuery } from '../../hooks/use-rpc-query';
import { useRpcStream } from '../../hooks/use-rpc-stream';
import { DockerGate } from '../docker/EngineBanner';
import { EngineIndicator } from '../docker/EngineIndicator';
import { ContainerDialogs, useContainerDialogs } from './ContainerDialogs';
import { ContainerTable } from './ContainerTable';
import { listRows, type Sort, type SortColumn, type StateFilter } from './container-list';
import { useContainerActions, usePendingActions } from './use-container-actions';

const filters: { value: StateFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'running', label: 'Running' },
  { value: 'stopped', label: 'Stopped' },
  { value: 'paused', label: 'Paused' },
];

/** The time relative dates are measured from, moved on every half minute so "2 minutes ago" stays true. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function BulkBar({ chosen, onClear }: { chosen: ContainerSummary[]; onClear: () => void }) {
  const { run } = useContainerActions();
  const dialogs = useContainerDialogs();
  const startable = chosen.filter((container) => container.state === 'created' || container.state === 'exited' || container.state === 'dead');
  const stoppable = chosen.filter((container) => container.state === 'running' || container.state === 'paused' || container.state === 'restarting');
  return (
    <Group gap="xs" role="toolbar" aria-label="Actions on the selected containers" data-testid="bulk-bar">
      <Text size="sm" fw={600}>
        {chosen.length} selected
      </Text>
      <Button
        size="xs"
        variant="default"
        leftSection={<IconPlayerPlay size={14} aria-hidden />}
        disabled={startable.length === 0}
        onClick={() => startable.forEach((container) => run({ action: 'start', id: container.id, name: container.name }))}
      >
        Start {startable.length || ''}
      </Button>
      <Button
        size="xs"
        variant="default"
        leftSection={<IconPlayerStop size={14} aria-hidden />}
        disabled={stoppable.length === 0}
        onClick={() => stoppable.forEach((container) => run({ action: 'stop', id: container.id, name: container.name }))}
      >
        Stop {stoppable.length || ''}
      </Button>
      <Button size="xs" variant="default" color="red" leftSection={<IconTrash size={14} aria-hidden />} onClick={() => dialogs.remove(chosen, onClear)}>
        Remove {chosen.length}
      </Button>
      <Button size="xs" variant="subtle" color="gray" leftSection={<IconX size={14} aria-hidden />} onClick={onClear}>
        Clear selection
      </Button>
    </Group>
  );
}

function toggled(set: ReadonlySet<string>, key: string, present: boolean): Set<string> {
  const next = new Set(set);
  if (present) next.add(key);
  else next.delete(key);
  return next;
}

function selectAll(selected: ReadonlySet<string>, shownIds: string[], on: boolean): Set<string> {
  if (on) return new Set([...selected, ...shownIds]);
  const shown = new Set(shownIds);
  return new Set([...selected].filter((id) => !shown.has(id)));
}

function ContainerList() {
  const list = useRpcQuery('containers.list', {});
  const [usage, setUsage] = useState<ContainerUsage>({});
  useRpcStream('containers.usage', {}, { onEvent: setUsage });
  const pending = usePendingActions();
  const now = useNow();
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<StateFilter>('all');
  const [sort, setSort] = useState<Sort>({ column: 'name', descending: false });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());

  // Stable, so rows that did not change skip rendering while the table scrolls.
  const select = useCallback((id: string, on: boolean) => setSelected((current) => toggled(current, id, on)), []);
  const containers = list.data;
  const rows = useMemo(() => (containers ? listRows(containers, { search, filter, sort, collapsed }) : []), [containers, search, filter, sort, collapsed]);
  const shownIds = useMemo(() => rows.flatMap((row) => (row.kind === 'container' ? [row.container.id] : [])), [rows]);
  // A removed container leaves the selection with it.
  const chosen = useMemo(() => (containers ?? []).filter((container) => selected.has(container.id)), [containers, selected]);

  if (list.isPending) {
    return (
      <Group gap="sm" role="status">
        <Loader size="sm" />
        <Text>Reading the containers…</Text>
      </Group>
    );
  }
  if (list.isError) {
    return (
      <Stack gap="sm" align="flex-start">
        <ErrorAlert title="Could not list the containers" error={list.error} />
        <Button variant="default" leftSection={<IconRefresh size={16} aria-hidden />} onClick={() => void list.refetch()}>
          Try again
        </Button>
      </Stack>
    );
  }

  const allSelected = shownIds.length > 0 && shownIds.every((id) => selected.has(id));
  const someSelected = shownIds.some((id) => selected.has(id));
  const running = list.data.filter((container) => container.state === 'running').length;

  return (
    <Stack gap="sm" style={{ flex: 1, minHeight: 0 }}>
      <Group gap="sm" justify="space-between">
        <Group gap="sm">
          <TextInput
            aria-label="Search containers"
            placeholder="Search name, image, id, port…"
            leftSection={<IconSearch size={16} aria-hidden />}
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
            w={280}
          />
          <SegmentedControl aria-label="Show containers by state" value={filter} onChange={(value) => setFilter(value as StateFilter)} data={filters} />
        </Group>
        <Text size="sm" c="dimmed" role="status">
          {shownIds.length === list.data.length ? `${list.data.length} containers` : `${shownIds.length} of ${list.data.length} containers`}, {running} running
        </Text>
      </Group>
      {chosen.length > 0 && <BulkBar chosen={chosen} onClear={() => setSelected(new Set())} />}
      {list.data.length === 0 ? (
        <Stack gap="xs" align="flex-start" py="xl" data-testid="no-containers">
          <Text fw={600}>This engine has no containers.</Text>
          <Text size="sm">Run one from an image; it shows up here as soon as the engine reports it.</Text>
        </Stack>
      ) : (
        <>
          <ContainerTable
            rows={rows}
            sort={sort}
            onSort={(column: SortColumn) => setSort((current) => ({ column, descending: current.column === column ? !current.descending : column === 'created' }))}
            selected={selected}
            onSelect={select}
            allSelected={allSelected}
            someSelected={someSelected}
            onSelectAll={(on) => setSelected(selectAll(selected, shownIds, on))}
            onToggleGroup={(project) => setCollapsed((current) => toggled(current, project, !current.has(project)))}
            pending={pending}
            usage={usage}
            now={now}
          />
          {rows.length === 0 && (
            <Text size="sm" c="dimmed">
              No container matches the search and filter.
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}

export function ContainersPage() {
  return (
    <ContainerDialogs>
      <Stack gap="md" h="calc(100dvh - var(--app-shell-header-height, 56px) - 2 * var(--mantine-spacing-lg))">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={2} align="flex-start">
            <Title order={1}>Containers</Title>
            <Text c="dimmed">Every container of the Docker engine, as it changes.</Text>
            <EngineIndicator />
          </Stack>
          <Button component={Link} to="/containers/new" leftSection={<IconPlus size={16} aria-hidden />}>
            Run container
          </Button>
        </Group>
        <DockerGate>
          <ContainerList />
        </DockerGate>
      </Stack>
    </ContainerDialogs>
  );
}
