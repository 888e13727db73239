// The Containers area: every container of the engine, live from docker.changed, with search, state filter,
// sort, compose groups, CPU and memory while shown, and single or bulk actions. Never imports node:*, electron or backend code.
import { Button, Group, Stack, Text } from '@mantine/core';
import { IconPlayerPlay, IconPlayerStop, IconTrash, IconX } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ContainerSummary, ContainerUsage } from '@shared/docker-types';
import { ListContent, ListFailure, ListPage, ListToolbar, useListControls } from '../../components/ListFrame';
import { ReadingStatus } from '../../components/ReadingStatus';
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
  const controls = useListControls<StateFilter>('all');
  const { search, filter } = controls;
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

  if (list.isPending) return <ReadingStatus text="Reading the containers…" />;
  if (list.isError) return <ListFailure title="Could not list the containers" error={list.error} onRetry={() => void list.refetch()} />;

  const allSelected = shownIds.length > 0 && shownIds.every((id) => selected.has(id));
  const someSelected = shownIds.some((id) => selected.has(id));
  const running = list.data.filter((container) => container.state === 'running').length;

  return (
    <Stack gap="sm" style={{ flex: 1, minHeight: 0 }}>
      <ListToolbar
        noun="containers"
        placeholder="Search name, image, id, port…"
        filters={filters}
        {...controls}
        count={`${shownIds.length === list.data.length ? `${list.data.length} containers` : `${shownIds.length} of ${list.data.length} containers`}, ${running} running`}
      />
      {chosen.length > 0 && <BulkBar chosen={chosen} onClear={() => setSelected(new Set())} />}
      <ListContent
        total={list.data.length}
        shown={rows.length}
        one="container"
        empty={{ testId: 'no-containers', title: 'This engine has no containers.', text: 'Run one from an image; it shows up here as soon as the engine reports it.' }}
      >
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
      </ListContent>
    </Stack>
  );
}

export function ContainersPage() {
  return (
    <ContainerDialogs>
      <ListPage
        title="Containers"
        description="Every container of the Docker engine, as it changes."
        status={<EngineIndicator />}
        create={{ to: '/containers/new', label: 'Run container' }}
      >
        <DockerGate>
          <ContainerList />
        </DockerGate>
      </ListPage>
    </ContainerDialogs>
  );
}
