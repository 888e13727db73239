// A horizontal bar chart of measured sizes (memory or disk) in MiB, in the look every Isolab chart shares.
// Never imports node:*, electron or backend code.
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { axisTick, chartColors, chartProps, ChartCard, tooltipStyle } from '../../components/ChartCard';

export interface Footprint {
  name: string;
  bytes: number;
}

const mib = (bytes: number) => bytes / (1024 * 1024);

export function FootprintChart({ title, bars, testId }: { title: string; bars: Footprint[]; testId: string }) {
  const data = bars.map((bar) => ({ name: bar.name, MiB: Number(mib(bar.bytes).toFixed(1)) }));
  const now = bars.map((bar) => `${bar.name} ${mib(bar.bytes).toFixed(1)} MiB`).join(', ');
  return (
    <ChartCard title={title} now={now} testId={testId}>
      <BarChart {...chartProps(data)} layout="vertical">
        <CartesianGrid stroke={chartColors.grid} horizontal={false} />
        <XAxis type="number" tick={axisTick} unit=" MiB" />
        <YAxis type="category" dataKey="name" tick={axisTick} width={170} />
        <Tooltip contentStyle={tooltipStyle} formatter={(value) => [`${String(value)} MiB`, 'Size']} />
        <Bar dataKey="MiB" fill={chartColors.primary} isAnimationActive={false} />
      </BarChart>
    </ChartCard>
  );
}
