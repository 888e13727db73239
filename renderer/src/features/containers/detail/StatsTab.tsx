// Live charts of a container's CPU, memory, network and block I/O over the last minute, from the
// containers.stats stream, which runs only while this tab is shown. Never imports node:*, electron or backend code.
import { SimpleGrid } from '@mantine/core';
import { useState } from 'react';
import { Area, AreaChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ContainerStatsSample } from '@shared/docker-types';
import { axisTick, ChartCard, chartColors, chartProps, tooltipStyle } from '../../../components/ChartCard';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ReadingStatus } from '../../../components/ReadingStatus';
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
  if (!last || !lastSample) return <ReadingStatus text="Waiting for the first samples…" />;
  const common = chartProps(data);
  const xAxis = <XAxis dataKey="label" tick={axisTick} minTickGap={40} stroke={chartColors.grid} />;
  const grid = <CartesianGrid stroke={chartColors.grid} strokeDasharray="3 3" />;
  const memoryShare = last.limit > 0 ? ` (${formatPercent((last.memory / last.limit) * 100)})` : '';
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      <ChartCard title="CPU" now={`${formatPercent(last.cpu)} of ${lastSample.onlineCpus} CPUs · ${lastSample.pids} processes`} testId="stats-cpu-chart">
        <AreaChart {...common}>
          {grid}
          {xAxis}
          <YAxis tick={axisTick} width={56} stroke={chartColors.grid} tickFormatter={(value: number) => `${value} %`} domain={[0, 'auto']} />
          <Tooltip contentStyle={tooltipStyle} formatter={(value) => formatPercent(Number(value))} />
          <Area type="monotone" dataKey="cpu" name="CPU" stroke={chartColors.primary} fill={chartColors.primary} fillOpacity={0.2} isAnimationActive={false} />
        </AreaChart>
      </ChartCard>
      <ChartCard title="Memory" now={`${formatBytes(last.memory)} of ${formatBytes(last.limit)}${memoryShare}`} testId="stats-memory-chart">
        <LineChart {...common}>
          {grid}
          {xAxis}
          <YAxis tick={axisTick} width={72} stroke={chartColors.grid} tickFormatter={(value: number) => formatBytes(value)} domain={[0, 'auto']} />
          <Tooltip contentStyle={tooltipStyle} formatter={(value) => formatBytes(Number(value))} />
          <Line type="monotone" dataKey="memory" name="Used" stroke={chartColors.primary} dot={false} isAnimationActive={false} />
          {memoryLimitSet && <Line type="monotone" dataKey="limit" name="Limit" stroke={chartColors.limit} strokeDasharray="6 4" dot={false} isAnimationActive={false} />}
        </LineChart>
      </ChartCard>
      <ChartCard title="Network" now={`in ${formatRate(last.rx)} · out ${formatRate(last.tx)}`} testId="stats-network-chart">
        <LineChart {...common}>
          {grid}
          {xAxis}
          <YAxis tick={axisTick} width={80} stroke={chartColors.grid} tickFormatter={(value: number) => formatRate(value)} />
          <Tooltip contentStyle={tooltipStyle} formatter={(value) => formatRate(Number(value))} />
          <Line type="monotone" dataKey="rx" name="Received" stroke={chartColors.primary} dot={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="tx" name="Sent" stroke={chartColors.secondary} strokeDasharray="6 4" dot={false} isAnimationActive={false} />
        </LineChart>
      </ChartCard>
      <ChartCard title="Block I/O" now={`read ${formatRate(last.read)} · write ${formatRate(last.write)}`} testId="stats-block-chart">
        <LineChart {...common}>
          {grid}
          {xAxis}
          <YAxis tick={axisTick} width={80} stroke={chartColors.grid} tickFormatter={(value: number) => formatRate(value)} />
          <Tooltip contentStyle={tooltipStyle} formatter={(value) => formatRate(Number(value))} />
          <Line type="monotone" dataKey="read" name="Read" stroke={chartColors.primary} dot={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="write" name="Written" stroke={chartColors.secondary} strokeDasharray="6 4" dot={false} isAnimationActive={false} />
        </LineChart>
      </ChartCard>
    </SimpleGrid>
  );
}
