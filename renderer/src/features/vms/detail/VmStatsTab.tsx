// Live graphs of a VM over the last minute: CPU % of its vCPUs, memory (given and held by QEMU), disk and network
// I/O, from the vms.stats stream (virsh domstats), which runs only while this tab is shown. Never imports
// node:*, electron or backend code.
import { Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Area, AreaChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { VmStatsSample } from '@shared/vm-types';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useRpcStream } from '../../../hooks/use-rpc-stream';
import { formatBytes, formatPercent, formatRate } from '../../docker/format';
import { ReadingStatus } from '../ReadingStatus';

const keptSamples = 60;
const colors = { first: 'var(--mantine-color-indigo-6)', second: 'var(--mantine-color-teal-6)', grid: 'var(--mantine-color-default-border)', text: 'var(--mantine-color-dimmed)' };
const axisTick = { fill: colors.text, fontSize: 11 };
const tooltipStyle = { backgroundColor: 'var(--mantine-color-body)', borderColor: 'var(--mantine-color-default-border)', color: 'var(--mantine-color-text)' };

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

const charts: ChartSpec[] = [
  { title: 'CPU', testId: 'vm-stats-cpu', area: true, series: [{ key: 'cpuPercent', name: 'CPU' }], format: formatPercent, now: (s) => `${formatPercent(s.cpuPercent)} of ${s.vcpus} vCPU${s.vcpus === 1 ? '' : 's'}` },
  {
    title: 'Memory',
    testId: 'vm-stats-memory',
    series: [
      { key: 'memoryRssBytes', name: 'Held by QEMU' },
      { key: 'memoryBytes', name: 'Given to the guest' },
    ],
    format: formatBytes,
    now: (s) => `QEMU holds ${formatBytes(s.memoryRssBytes)} · guest has ${formatBytes(s.memoryBytes)}`,
  },
  {
    title: 'Disk I/O',
    testId: 'vm-stats-disk',
    series: [
      { key: 'diskReadRate', name: 'Read' },
      { key: 'diskWriteRate', name: 'Written' },
    ],
    format: formatRate,
    now: (s) => `read ${formatRate(s.diskReadRate)} · write ${formatRate(s.diskWriteRate)}`,
  },
  {
    title: 'Network',
    testId: 'vm-stats-network',
    series: [
      { key: 'netRxRate', name: 'Received' },
      { key: 'netTxRate', name: 'Sent' },
    ],
    format: formatRate,
    now: (s) => `in ${formatRate(s.netRxRate)} · out ${formatRate(s.netTxRate)}`,
  },
];

function Chart({ spec, data, last }: { spec: ChartSpec; data: (VmStatsSample & { label: string })[]; last: VmStatsSample }) {
  const now = spec.now(last);
  const common = { data, margin: { top: 8, right: 8, bottom: 0, left: 0 }, accessibilityLayer: false } as const;
  const axes = (
    <>
      <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" />
      <XAxis dataKey="label" tick={axisTick} minTickGap={40} stroke={colors.grid} />
      <YAxis tick={axisTick} width={80} stroke={colors.grid} tickFormatter={(value: number) => spec.format(value)} domain={[0, 'auto']} />
      <Tooltip contentStyle={tooltipStyle} formatter={(value) => spec.format(Number(value))} />
    </>
  );
  const [first, second] = spec.series;
  return (
    <Paper withBorder p="md" component="figure" m={0} aria-label={`${spec.title}: ${now}`}>
      <Stack gap="xs">
        <Group justify="space-between" align="baseline">
          <Title order={3} size="h5">
            {spec.title}
          </Title>
          <Text size="sm" component="figcaption">
            {now}
          </Text>
        </Group>
        <div data-testid={spec.testId} style={{ height: 200 }}>
          <ResponsiveContainer width="100%" height="100%">
            {spec.area ? (
              <AreaChart {...common}>
                {axes}
                <Area type="monotone" dataKey={first.key} name={first.name} stroke={colors.first} fill={colors.first} fillOpacity={0.2} isAnimationActive={false} />
              </AreaChart>
            ) : (
              <LineChart {...common}>
                {axes}
                <Line type="monotone" dataKey={first.key} name={first.name} stroke={colors.first} dot={false} isAnimationActive={false} />
                {second && <Line type="monotone" dataKey={second.key} name={second.name} stroke={colors.second} strokeDasharray="6 4" dot={false} isAnimationActive={false} />}
              </LineChart>
            )}
          </ResponsiveContainer>
        </div>
      </Stack>
    </Paper>
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
    return (
      <ReadingStatus what="Waiting for the first samples…" />
    );
  }
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      {charts.map((spec) => (
        <Chart key={spec.title} spec={spec} data={data} last={last} />
      ))}
    </SimpleGrid>
  );
}
