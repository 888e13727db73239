// A live chart's card (a figure named by its title and the latest reading) and the look every stats chart shares:
// colours from the theme, axis and tooltip styles, margins. Never imports node:*, electron or backend code.
import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { ResponsiveContainer } from 'recharts';

export const chartColors = {
  primary: 'var(--mantine-color-indigo-6)',
  secondary: 'var(--mantine-color-teal-6)',
  limit: 'var(--mantine-color-red-6)',
  grid: 'var(--mantine-color-default-border)',
  text: 'var(--mantine-color-dimmed)',
};

export const axisTick = { fill: chartColors.text, fontSize: 11 };
export const tooltipStyle = { backgroundColor: 'var(--mantine-color-body)', borderColor: 'var(--mantine-color-default-border)', color: 'var(--mantine-color-text)' };

/** The props every chart of points takes; the figure's own label speaks for it, so no chart-level a11y layer. */
export function chartProps<Point>(data: Point[]) {
  return { data, margin: { top: 8, right: 8, bottom: 0, left: 0 }, accessibilityLayer: false } as const;
}

/** `children` is one recharts chart; `now` says the latest reading in words. */
export function ChartCard({ title, now, testId, children }: { title: string; now: string; testId: string; children: ReactNode }) {
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
