// The start-time race: a fresh container and the shut-off VM started N times each, every phase timed, the medians
// as a stacked chart and each run in a table, with the commands used. Never imports node:*, electron or backend code.
import { Alert, Button, Code, Group, NumberInput, Stack, Table, Text } from '@mantine/core';
import { IconFlag } from '@tabler/icons-react';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { RacePhase, RaceRun } from '@shared/compare-types';
import { axisTick, chartColors, chartProps, ChartCard, tooltipStyle } from '../../components/ChartCard';
import { ErrorAlert } from '../../components/ErrorAlert';
import { cancelRace, runRace, useLab } from './lab-store';
import { statusTextColors } from '../../theme';

const phases: { phase: RacePhase; label: string; color: string }[] = [
  { phase: 'create', label: 'Create', color: 'var(--mantine-color-gray-6)' },
  { phase: 'start', label: 'Start', color: chartColors.primary },
  { phase: 'first-output', label: 'First output', color: chartColors.secondary },
  { phase: 'ready', label: 'Ready', color: 'var(--mantine-color-orange-6)' },
];

/** Phase ends into the time each phase took, for the stacked bars. */
function durations(ends: Partial<Record<RacePhase, number>>): Partial<Record<RacePhase, number>> {
  const result: Partial<Record<RacePhase, number>> = {};
  let previous = 0;
  for (const { phase } of phases) {
    const end = ends[phase];
    if (end === undefined) continue;
    result[phase] = Math.max(0, Math.round(end - previous));
    previous = end;
  }
  return result;
}

const ms = (value: number | undefined) => (value === undefined ? '—' : `${Math.round(value)} ms`);

function RunsTable({ runs }: { runs: { subject: string; run: RaceRun }[] }) {
  return (
    <Table aria-label="Every race run" data-testid="race-runs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Subject</Table.Th>
          <Table.Th>Run</Table.Th>
          {phases.map(({ label }) => (
            <Table.Th key={label}>{label}</Table.Th>
          ))}
          <Table.Th>Ready by</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {runs.map(({ subject, run }) => (
          <Table.Tr key={`${subject}-${run.run}`} data-testid="race-run" data-subject={subject}>
            <Table.Td>{subject === 'vm' ? 'VM' : 'Container'}</Table.Td>
            <Table.Td>{run.run}</Table.Td>
            {phases.map(({ phase }) => (
              <Table.Td key={phase}>{ms(run.phases[phase])}</Table.Td>
            ))}
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{run.error ? <Text c={statusTextColors.error} size="sm">{run.error.message}</Text> : (run.readyBy ?? '—')}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function RacePanel() {
  const { race, selection } = useLab();
  const [runs, setRuns] = useState(3);
  const result = race.result;
  const chartData = result
    ? [
        { name: 'Container', ...durations(result.median.container) },
        { name: 'VM', ...durations(result.median.vm) },
      ]
    : [];
  const ready = (subject: 'container' | 'vm') => result?.median[subject].ready ?? result?.median[subject]['first-output'];
  const all = [...race.results.container.map((run) => ({ subject: 'container', run })), ...race.results.vm.map((run) => ({ subject: 'vm', run }))];
  return (
    <Stack gap="md">
      <Text size="sm">
        Starts a fresh container from <Code>{selection.image ?? 'the chosen image'}</Code> and the VM <Code>{selection.vm?.name ?? '(choose one)'}</Code> from
        shut off, one after the other, and times each phase. The VM must be shut off; it is forced off after each run, and each container is removed.
      </Text>
      <Group align="flex-end">
        <NumberInput label="Runs each" min={1} max={10} value={runs} onChange={(value) => setRuns(typeof value === 'number' ? value : 3)} w={120} disabled={race.running} />
        {race.running ? (
          <Button color="gray" onClick={cancelRace}>
            Cancel race
          </Button>
        ) : (
          <Button leftSection={<IconFlag size={16} aria-hidden />} disabled={!selection.image || !selection.vm} onClick={() => runRace(runs)}>
            Start race
          </Button>
        )}
      </Group>
      {race.error && <ErrorAlert title="The race stopped" error={race.error} />}
      {(race.running || race.progress.length > 0) && (
        <Alert variant="light" color="blue" title={race.running ? `Racing (${race.runs} run(s) each)…` : 'Race finished'}>
          <Text size="sm" role="status" aria-live="polite" data-testid="race-progress">
            {race.progress.at(-1) ?? 'Starting…'}
          </Text>
        </Alert>
      )}
      {result && (
        <ChartCard title="Start time, median" now={`container ready in ${ms(ready('container'))}, VM ready in ${ms(ready('vm'))}`} testId="race-chart">
          <BarChart {...chartProps(chartData)} layout="vertical">
            <CartesianGrid stroke={chartColors.grid} horizontal={false} />
            <XAxis type="number" tick={axisTick} unit=" ms" />
            <YAxis type="category" dataKey="name" tick={axisTick} width={90} />
            <Tooltip contentStyle={tooltipStyle} />
            <Legend />
            {phases.map(({ phase, label, color }) => (
              <Bar key={phase} dataKey={phase} name={label} stackId="phases" fill={color} isAnimationActive={false} />
            ))}
          </BarChart>
        </ChartCard>
      )}
      {all.length > 0 && <RunsTable runs={all} />}
      {result && (
        <Stack gap={4}>
          <Text size="xs" fw={600}>
            Commands
          </Text>
          <Code block tabIndex={0} aria-label="Commands the race ran">
            {[...result.commands.container, ...result.commands.vm].join('\n')}
          </Code>
        </Stack>
      )}
    </Stack>
  );
}
