// One line about the machine the report describes, and when and how fast it was checked.
// Never imports node:*, electron or backend code.
import { Group, Paper, Text } from '@mantine/core';
import type { HostReport } from '@shared/types';

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

export function HostSummary({ report }: { report: HostReport }) {
  const { host } = report;
  const checkedAt = new Date(report.generatedAt).toLocaleTimeString();
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" gap="xs">
        <Text size="sm">
          <Text span fw={600}>
            {host.hostname}
          </Text>
          {` · ${host.os} · kernel ${host.kernel} · ${host.arch} · ${host.cpuModel} × ${host.cpuCount} · ${gib(host.memoryBytes)} · user ${host.user} (uid ${host.uid})`}
        </Text>
        <Text size="sm" c="dimmed">
          Checked at {checkedAt} in {report.durationMs} ms
        </Text>
      </Group>
    </Paper>
  );
}
