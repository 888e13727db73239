// Live graphs of a VM over the last minute: CPU % of its vCPUs, memory (given and held by QEMU), disk and network
// I/O, from the vms.stats stream (virsh domstats), which runs only while this tab is shown. Never imports
// node:*, electron or backend code.
import { SimpleGrid } from '@mantine/core';
import { useState } from 'react';
import { Area, AreaChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { VmStatsSample } from '@shared/vm-types';
import { axisTick, ChartCard, chartColors, chartProps, tooltipStyle } from '../../../components/ChartCard';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ReadingStatus } from '../../../components/ReadingStatus';
import { useRpcStream } from '../../../hooks/use-rpc-stream';
import { formatBytes, formatPercent, formatRate } from '../../docker/format';

const keptSamples = 60;

interface Series {
  key: keyof VmStatsSample;
  name: string;
}

interface ChartSpec {
  title: string;
  now: (sample: VmStatsSample) => string;
  testId: string;
  series: [Series] | [Series, Series];
  format: (value: number) => string;
  area?: boolean;
}

/** A chart of two series, the second drawn dashed. */
function pair(title: string, testId: string, first: Series, second: Series, format: (value: number) => string, now: ChartSpec['now']): ChartSpec {
  return { title, testId, series: [first, second], format, now };
}

const charts: ChartSpec[] = [
  { title: 'CPU', testId: 'vm-stats-cpu', area: true, series: [{ key: 'cpuPercent', name: 'CPU' }], format: formatPercent, now: (s) => `${formatPercent(s.cpuPercent)} of ${s.vcpus} vCPU${s.vcpus === 1 ? '' : 's'}` },
  pair('Memory', 'vm-stats-memory', { key: 'memoryRssBytes', name: 'Held by QEMU' }, { key: 'memoryBytes', name: 'Given to the guest' }, formatBytes, (s) =>
    `QEMU holds ${formatBytes(s.memoryRssBytes)} · guest has ${formatBytes(s.memoryBytes)}`),
  pair('Disk I/O', 'vm-stats-disk', { key: 'diskReadRate', name: 'Read' }, { key: 'diskWriteRate', name: 'Written' }, formatRate, (s) =>
    `read ${formatRate(s.diskReadRate)} · write ${formatRate(s.diskWriteRate)}`),
  pair('Network', 'vm-stats-network', { key: 'netRxRate', name: 'Received' }, { key: 'netTxRate', name: 'Sent' }, formatRate, (s) =>
    `in ${formatRate(s.netRxRate)} · out ${formatRate(s.netTxRate)}`),
];

function Chart({ spec, data, last }: { spec: ChartSpec; data: (VmStatsSample & { label: string })[]; last: VmStatsSample }) {
  const common = chartProps(data);
  const axes = (
    <>
      <CartesianGrid stroke={chartColors.grid} strokeDasharray="3 3" />
      <XAxis dataKey="label" tick={axisTick} minTickGap={40} stroke={chartColors.grid} />
      <YAxis tick={axisTick} width={80} stroke={chartColors.grid} tickFormatter={(value: number) => spec.format(value)} domain={[0, 'auto']} />
      <Tooltip contentStyle={tooltipStyle} formatter={(value) => spec.format(Number(value))} />
    </>
  );
  const [first, second] = spec.series;
  return (
    <ChartCard title={spec.title} now={spec.now(last)} testId={spec.testId}>
      {spec.area ? (
        <AreaChart {...common}>
          {axes}
          <Area type="monotone" dataKey={first.key} name={first.name} stroke={chartColors.primary} fill={chartColors.primary} fillOpacity={0.2} isAnimationActive={false} />
        </AreaChart>
      ) : (
        <LineChart {...common}>
          {axes}
          <Line type="monotone" dataKey={first.key} name={first.name} stroke={chartColors.primary} dot={false} isAnimationActive={false} />
          {second && <Line type="monotone" dataKey={second.key} name={second.name} stroke={chartColors.secondary} strokeDasharray="6 4" dot={false} isAnimationActive={false} />}
        </LineChart>
      )}
    </ChartCard>
  );
}

export function VmStatsTab({ uri, name }: { uri: string; name: string }) {
  const [samples, setSamples] = useState<VmStatsSample[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  useRpcStream('vms.stats', { uri, name }, {
    onEvent: (sample) => setSamples((previous) => [...previous.slice(1 - keptSamples), sample]),
    onError: setFailure,
  });
  if (failure !== null) return <ErrorAlert title="Could not read the statistics" error={failure} />;
  // The first sample has no rates yet (they need two readings).
  const data = samples.slice(1).map((sample) => ({ ...sample, label: new Date(sample.time).toLocaleTimeString() }));
  const last = data.at(-1);
  if (!last) {
    return <ReadingStatus text="Waiting for the first samples…" />;
  }
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      {charts.map((spec) => (
        <Chart key={spec.title} spec={spec} data={data} last={last} />
      ))}
    </SimpleGrid>
  );
}
