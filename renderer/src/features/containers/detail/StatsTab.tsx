// Live charts of a container's CPU, memory, network and block I/O over the last minute, from the
// containers.stats stream, which runs only while this tab is shown. Never imports node:*, electron or backend code.
import { Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { Area, AreaChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ContainerStatsSample } from '@shared/docker-types';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useRpcStream } from '../../../hooks/use-rpc-stream';
import { formatBytes, formatPercent, formatRate } from '../../docker/format';

// One sample a second: 60 rates need 61 samples.
const keptSamples = 61;

interface Point {
  label: string;
  cpu: number;
  memory: number;
  limit: number;
  rx: number;
  tx: number;
  read: number;
  write: number;
}

// Counters restart from zero when the container restarts; a negative step is not a rate.
function rate(current: number, previous: number, seconds: number): number {
  return seconds > 0 && current >= previous ? (current - previous) / seconds : 0;
}

function points(samples: ContainerStatsSample[]): Point[] {
  const result: Point[] = [];
  for (let index = 1; index < samples.length; index++) {
    const sample = samples[index];
    const previous = samples[index - 1];
    if (!sample || !previous) continue;
    const seconds = (sample.time - previous.time) / 1000;
    result.push({
      label: new Date(sample.time).toLocaleTimeString(),
      cpu: sample.cpuPercent,
      memory: sample.memoryUsage,
      limit: sample.memoryLimit,
      rx: rate(sample.networkRx, previous.networkRx, seconds),
      tx: rate(sample.networkTx, previous.networkTx, seconds),
      read: rate(sample.blockRead, previous.blockRead, seconds),
      write: rate(sample.blockWrite, previous.blockWrite, seconds),
    });
  }
  return result;
}

const colors = {
  primary: 'var(--mantine-color-indigo-6)',
  secondary: 'var(--mantine-color-teal-6)',
  limit: 'var(--mantine-color-red-6)',
  grid: 'var(--mantine-color-default-border)',
  text: 'var(--mantine-color-dimmed)',
};

const axisTick = { fill: colors.text, fontSize: 11 };
const tooltipStyle = { backgroundColor: 'var(--mantine-color-body)', borderColor: 'var(--mantine-color-default-border)', color: 'var(--mantine-color-text)' };

function ChartCard({ title, now, testId, children }: { title: string; now: string; testId: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="figure" m={0} aria-label={`${title}: ${now}`}>
      <Stack gap="xs">
        <Group justify="space-between" align="baseline">
          <Title order={3} size="h5">
            {title}
          </Title>
          <Text size="sm" component="figcaption">
            {now}
          </Text>
        </Group>
        <div data-testid={testId} style={{ height: 200 }}>
          <ResponsiveContainer width="100%" height="100%">
            {children}
          </ResponsiveContainer>
        </div>
      </Stack>
    </Paper>
  );
}

export function StatsTab({ id, memoryLimitSet }: { id: string; memoryLimitSet: boolean }) {
  const [samples, setSamples] = useState<ContainerStatsSample[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  useRpcStream('containers.stats', { id }, {
    onEvent: (sample) => setSamples((previous) => [...previous.slice(1 - keptSamples), sample]),
    onError: setFailure,
  });
  if (failure !== null) return <ErrorAlert title="Could not read the statistics" error={failure} />;
  const data = points(samples);
  const last = data.at(-1);
  const lastSample = samples.at(-1);
  if (!last || !lastSample) {
    return (
      <Group gap="sm" role="status">
        <Loader size="sm" />
        <Text>Waiting for the first samples…</Text>
      </Group>
    );
  }
  const common = { data, margin: { top: 8, right: 8, bottom: 0, left: 0 }, accessibilityLayer: false } as const;
  const xAxis = <XAxis dataKey="label" tick={axisTick} minTickGap={40} stroke={colors.grid} />;
  const grid = <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" />;
  const memoryShare = last.limit > 0 ? ` (${formatPercent((last.memory / last.limit) * 100)})` : '';
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      <ChartCard title="CPU" now={`${formatPercent(last.cpu)} of ${lastSample.onlineCpus} CPUs · ${lastSample.pids} processes`} testId="stats-cpu-chart">
        <AreaChart {...common}>
          {grid}
          {xAxis}
          <YAxis tick={axisTick} width={56} stroke={colors.grid} tickFormatter={(value: number) => `${value} %`} domain={[0, 'auto']} />
          <Tooltip contentStyle={tooltipStyle} formatter={(value) => formatPercent(Number(value))} />
          <Area type="monotone" dataKey="cpu" name="CPU" stroke={colors.primary} fill={colors.primary} fillOpacity={0.2} isAnimationActive={false} />
        </AreaChart>
      </ChartCard>
      <ChartCard title="Memory" now={`${formatBytes(last.memory)} of ${formatBytes(last.limit)}${memoryShare}`} testId="stats-memory-chart">
        <LineChart {...common}>
          {grid}
          {xAxis}
          <YAxis tick={axisTick} width={72} stroke={colors.grid} tickFormatter={(value: number) => formatBytes(value)} domain={[0, 'auto']} />
          <Tooltip contentStyle={tooltipStyle} formatter={(value) => formatBytes(Number(value))} />
          <Line type="monotone" dataKey="memory" name="Used" stroke={colors.primary} dot={false} isAnimationActive={false} />
          {memoryLimitSet && <Line type="monotone" dataKey="limit" name="Limit" stroke={colors.limit} strokeDasharray="6 4" dot={false} isAnimationActive={false} />}
        </LineChart>
      </ChartCard>
      <ChartCard title="Network" now={`in ${formatRate(last.rx)} · out ${formatRate(last.tx)}`} testId="stats-network-chart">
        <LineChart {...common}>
          {grid}
          {xAxis}
          <YAxis tick={axisTick} width={80} stroke={colors.grid} tickFormatter={(value: number) => formatRate(value)} />
          <Tooltip contentStyle={tooltipStyle} formatter={(value) => formatRate(Number(value))} />
          <Line type="monotone" dataKey="rx" name="Received" stroke={colors.primary} dot={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="tx" name="Sent" stroke={colors.secondary} strokeDasharray="6 4" dot={false} isAnimationActive={false} />
        </LineChart>
      </ChartCard>
      <ChartCard title="Block I/O" now={`read ${formatRate(last.read)} · write ${formatRate(last.write)}`} testId="stats-block-chart">
        <LineChart {...common}>
          {grid}
          {xAxis}
          <YAxis tick={axisTick} width={80} stroke={colors.grid} tickFormatter={(value: number) => formatRate(value)} />
          <Tooltip contentStyle={tooltipStyle} formatter={(value) => formatRate(Number(value))} />
          <Line type="monotone" dataKey="read" name="Read" stroke={colors.primary} dot={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="write" name="Written" stroke={colors.secondary} strokeDasharray="6 4" dot={false} isAnimationActive={false} />
        </LineChart>
      </ChartCard>
    </SimpleGrid>
  );
}
