// A horizontal bar chart of measured values (sizes in MiB, times in ms), in the look every Isolab chart shares.
// Never imports node:*, electron or backend code.
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { axisTick, chartColors, chartProps, ChartCard, tooltipStyle } from '../../components/ChartCard';

export interface MeasureBar {
  name: string;
  /** Bytes for 'MiB', milliseconds for 'ms'. */
  value: number;
}

function scaled(value: number, unit: 'MiB' | 'ms'): number {
  return unit === 'MiB' ? Number((value / (1024 * 1024)).toFixed(1)) : Math.round(value);
}

export function MeasureChart({ title, bars, unit, testId }: { title: string; bars: MeasureBar[]; unit: 'MiB' | 'ms'; testId: string }) {
  const data = bars.map((bar) => ({ name: bar.name, value: scaled(bar.value, unit) }));
  const now = data.map((bar) => `${bar.name} ${bar.value} ${unit}`).join(', ');
  return (
    <ChartCard title={title} now={now} testId={testId}>
      <BarChart {...chartProps(data)} layout="vertical">
        <CartesianGrid stroke={chartColors.grid} horizontal={false} />
        <XAxis type="number" tick={axisTick} unit={` ${unit}`} />
        <YAxis type="category" dataKey="name" tick={axisTick} width={170} />
        <Tooltip contentStyle={tooltipStyle} formatter={(value) => [`${String(value)} ${unit}`, title]} />
        <Bar dataKey="value" fill={chartColors.primary} isAnimationActive={false} />
      </BarChart>
    </ChartCard>
  );
}
