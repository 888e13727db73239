// What the host sees of both subjects: the container's processes with host and container PIDs next to the VM's one
// qemu process, memory (cgroup usage vs qemu RSS) and disk (image layers vs VM disk), with where each figure came
// from. Never imports node:*, electron or backend code.
import { Button, Code, List, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import type { HostView } from '@shared/compare-types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ReadingStatus } from '../../components/ReadingStatus';
import { MeasureChart, type MeasureBar } from './MeasureChart';
import { readHostView, useLab } from './lab-store';

const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

function memoryBars(view: HostView): MeasureBar[] {
  const bars: MeasureBar[] = [];
  if (view.container) bars.push({ name: 'Container (cgroup memory)', value: view.container.memoryUsageBytes });
  if (view.vm?.qemu) bars.push({ name: 'VM: qemu process RSS', value: view.vm.qemu.rssBytes ?? 0 });
  if (view.vm) bars.push({ name: 'VM: guest RAM size', value: view.vm.memoryBytes });
  return bars;
}

function diskBars(view: HostView): MeasureBar[] {
  const bars: MeasureBar[] = [];
  if (view.container) {
    bars.push({ name: 'Image (shared layers)', value: view.container.image.sizeBytes });
    bars.push({ name: 'Container writable layer', value: view.container.writableLayerBytes });
  }
  if (view.vm) {
    bars.push({ name: 'VM disks (allocated)', value: view.vm.disks.reduce((sum, disk) => sum + disk.allocationBytes, 0) });
    if (view.vm.bootFiles.length > 0) bars.push({ name: 'VM kernel + initramfs', value: view.vm.bootFiles.reduce((sum, file) => sum + file.sizeBytes, 0) });
  }
  return bars;
}

function Processes({ view }: { view: HostView }) {
  return (
    <Table aria-label="Processes as the host sees them" data-testid="host-processes" layout="fixed">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={90}>Host PID</Table.Th>
          <Table.Th w={110}>PID inside</Table.Th>
          <Table.Th w={110}>Subject</Table.Th>
          <Table.Th w={100}>RSS</Table.Th>
          <Table.Th>Command</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {view.container?.processes.map((row) => (
          <Table.Tr key={row.hostPid} data-testid="host-process-row" data-host-pid={row.hostPid} data-inner-pid={row.innerPid ?? ''}>
            <Table.Td>{row.hostPid}</Table.Td>
            <Table.Td>{row.innerPid ?? '—'}</Table.Td>
            <Table.Td>Container</Table.Td>
            <Table.Td>{row.rssBytes === undefined ? '—' : mib(row.rssBytes)}</Table.Td>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{row.command}</Table.Td>
          </Table.Tr>
        ))}
        {view.vm?.qemu && (
          <Table.Tr data-testid="host-process-row" data-host-pid={view.vm.qemu.hostPid} data-qemu="true">
            <Table.Td>{view.vm.qemu.hostPid}</Table.Td>
            <Table.Td>— (the whole guest)</Table.Td>
            <Table.Td>VM</Table.Td>
            <Table.Td>{mib(view.vm.qemu.rssBytes ?? 0)}</Table.Td>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>
              <Text size="sm" lineClamp={2}>
                {view.vm.qemu.command}
              </Text>
            </Table.Td>
          </Table.Tr>
        )}
      </Table.Tbody>
    </Table>
  );
}

export function HostViewPanel() {
  const { hostView, selection } = useLab();
  const view = hostView.data;
  return (
    <Stack gap="md">
      <Button variant="default" w="fit-content" leftSection={<IconRefresh size={16} aria-hidden />} disabled={!selection.container && !selection.vm} loading={hostView.loading} onClick={() => void readHostView()}>
        Read the host's view
      </Button>
      {hostView.error && <ErrorAlert title="Could not read the host's view" error={hostView.error} />}
      {hostView.loading && !view && <ReadingStatus text="Reading processes, memory and disks from the host…" />}
      {!view && !hostView.loading && !hostView.error && <Text c="dimmed">Run the probes, or read the host's view, to see both subjects as the host sees them.</Text>}
      {view && (
        <>
          <Text size="sm">
            The host sees {view.hostProcessCount} processes in all.{' '}
            {view.container && `${view.container.processes.length} of them are the container's, listed with their PID inside the container. `}
            {view.vm && (view.vm.qemu ? `The VM is one of them: a qemu process with ${view.vm.qemu.threads} threads, whatever runs inside.` : 'The VM is not running: no qemu process.')}
          </Text>
          <Processes view={view} />
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <MeasureChart title="Memory" unit="MiB" bars={memoryBars(view)} testId="memory-chart" />
            <MeasureChart title="Disk" unit="MiB" bars={diskBars(view)} testId="disk-chart" />
          </SimpleGrid>
          {view.vm && view.vm.disks.length + view.vm.bootFiles.length > 0 && (
            <Stack gap={4}>
              <Title order={3} size="h5">
                The VM's disk, as files on the host
              </Title>
              <List size="sm">
                {view.vm.disks.map((disk) => (
                  <List.Item key={disk.target}>
                    {disk.target}: <Code>{disk.path}</Code>, {mib(disk.allocationBytes)} allocated of {mib(disk.capacityBytes)}
                  </List.Item>
                ))}
                {view.vm.bootFiles.map((file) => (
                  <List.Item key={file.path}>
                    <Code>{file.path}</Code>, {mib(file.sizeBytes)}
                  </List.Item>
                ))}
              </List>
            </Stack>
          )}
          <Stack gap={2}>
            <Text size="xs" fw={600}>
              Sources
            </Text>
            {[...(view.container?.sources ?? []), ...(view.vm?.sources ?? [])].map((source) => (
              <Text key={source} size="xs" c="dimmed">
                {source}
              </Text>
            ))}
          </Stack>
        </>
      )}
    </Stack>
  );
}
