// A VM's overview from its domain XML: OS, firmware, machine, acceleration, CPU and memory, disks (with sizes),
// NICs (MAC, network, addresses), graphics and consoles. Never imports node:*, electron or backend code.
import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { VmDetail } from '@shared/vm-types';
import { FactList } from '../../../components/FactList';
import { formatBytes } from '../../docker/format';
import { accelerationLabels } from '../VmBadges';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

function firmwareText(vm: VmDetail): string {
  if (vm.firmware === 'bios') return 'BIOS (SeaBIOS)';
  return `UEFI${vm.secureBoot ? ' with Secure Boot' : ''}${vm.loader ? ` (${vm.loader})` : ''}`;
}

function cpuText(vm: VmDetail): string {
  const { cpu } = vm;
  const topology = cpu.sockets ? `, ${cpu.sockets} socket × ${cpu.cores ?? 1} cores × ${cpu.threads ?? 1} threads` : '';
  const model = cpu.mode === 'host-passthrough' ? 'host CPU passed through' : cpu.model ? `model ${cpu.model}` : cpu.mode ? `mode ${cpu.mode}` : 'default model';
  return `${vm.vcpus} vCPU${vm.vcpus === 1 ? '' : 's'}, ${model}${topology}`;
}

type DeviceColumn<Row> = [heading: string, cell: (row: Row) => ReactNode];

/** A section listing devices as a table: one row per device, one column per fact. */
function DeviceSection<Row>({
  title,
  empty,
  rows,
  rowKey,
  testId,
  columns,
}: {
  title: string;
  empty: string;
  rows: Row[];
  rowKey: (row: Row) => string;
  testId: string;
  columns: DeviceColumn<Row>[];
}) {
  return <Section title={title}>{rows.length === 0 ? none(empty) : <DeviceTable title={title} rows={rows} rowKey={rowKey} testId={testId} columns={columns} />}</Section>;
}

function DeviceTable<Row>({ title, rows, rowKey, testId, columns }: { title: string; rows: Row[]; rowKey: (row: Row) => string; testId: string; columns: DeviceColumn<Row>[] }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table aria-label={title} verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            {columns.map(([heading]) => (
              <Table.Th key={heading}>{heading}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={rowKey(row)} data-testid={testId}>
              {columns.map(([heading, cell]) => (
                <Table.Td key={heading}>{cell(row)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

const none = (text: string) => (
  <Text size="sm" c="dimmed">
    {text}
  </Text>
);

const diskColumns: DeviceColumn<VmDetail['disks'][number]>[] = [
  ['Device', (disk) => `${disk.target} (${disk.bus})`],
  [
    'Kind',
    (disk) => (
      <Group gap={4}>
        {disk.device}
        {disk.readOnly && <Badge variant="default" size="xs">read-only</Badge>}
        {disk.shareable && <Badge variant="default" size="xs">shared</Badge>}
      </Group>
    ),
  ],
  ['Source', (disk) => <span style={{ overflowWrap: 'anywhere' }}>{disk.source ?? 'empty'}</span>],
  ['Format', (disk) => disk.format ?? '—'],
  ['Size · used', (disk) => (disk.capacityBytes === undefined ? '—' : `${formatBytes(disk.capacityBytes)} · ${formatBytes(disk.allocationBytes ?? 0)}`)],
];

const nicColumns: DeviceColumn<VmDetail['nics'][number]>[] = [
  ['MAC', (nic) => <Text ff="monospace" size="sm">{nic.mac}</Text>],
  ['Connected to', (nic) => (nic.type === 'user' ? 'User-mode networking (QEMU)' : `${nic.type} ${nic.source ?? ''}`)],
  ['Model', (nic) => nic.model ?? '—'],
  ['Host device', (nic) => nic.hostDevice ?? '—'],
  ['Addresses', (nic) => nic.addresses.join(', ') || '—'],
];

export function OverviewTab({ detail: vm }: { detail: VmDetail }) {
  const boot = vm.directKernelBoot
    ? `Direct kernel boot: ${vm.directKernelBoot.kernel}${vm.directKernelBoot.initrd ? ` + ${vm.directKernelBoot.initrd}` : ''}`
    : vm.disks.some((disk) => disk.bootOrder !== undefined)
      ? `Boot order on devices: ${vm.disks.filter((disk) => disk.bootOrder !== undefined).sort((a, b) => (a.bootOrder ?? 0) - (b.bootOrder ?? 0)).map((disk) => disk.target).join(', ')}`
      : vm.bootDevices.join(', ') || 'hd';
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Section title="System">
          <FactList
            facts={[
              ['Operating system', vm.osInfoUrl ? `${vm.osId ?? ''} (${vm.osInfoUrl})` : 'Not recorded'],
              ['Acceleration', `${accelerationLabels[vm.acceleration]}, domain type "${vm.domainType}"`],
              ['Machine', `${vm.machine || 'default'} (${vm.arch}, ${vm.osType})`],
              ['Firmware', firmwareText(vm)],
              ['Boot', boot],
              ...(vm.directKernelBoot?.cmdline ? [['Kernel command line', vm.directKernelBoot.cmdline] as [string, string]] : []),
              ['Started at host boot', vm.autostart ? 'Yes' : 'No'],
              ['Persistent definition', vm.persistent ? 'Yes' : 'No (transient: gone when it stops)'],
              ['UUID', vm.uuid],
              ...(vm.emulator ? [['Emulator', vm.emulator] as [string, string]] : []),
            ]}
          />
          {vm.description && <Text size="sm">{vm.description}</Text>}
        </Section>
        <Section title="CPU and memory">
          <FactList
            facts={[
              ['CPU', cpuText(vm)],
              ['Memory', formatBytes(vm.memoryBytes)],
              ['Memory now (balloon)', formatBytes(vm.currentMemoryBytes)],
              ['Addresses', vm.addresses.join(', ') || 'None known (from DHCP leases or the guest agent)'],
              ['Guest agent channel', vm.hasGuestAgentChannel ? 'Yes' : 'No'],
            ]}
          />
        </Section>
      </SimpleGrid>
      <DeviceSection title="Disks" empty="No disks." rows={vm.disks} rowKey={(disk) => disk.target} testId="vm-disk" columns={diskColumns} />
      <DeviceSection title="Network interfaces" empty="No network interfaces." rows={vm.nics} rowKey={(nic) => nic.mac} testId="vm-nic" columns={nicColumns} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Section title="Graphics">
          {vm.graphics.length === 0
            ? none('No graphical display.')
            : (
                <FactList
                  facts={vm.graphics.map((graphics, index) => [
                    `${graphics.type.toUpperCase()}${vm.graphics.length > 1 ? ` #${index + 1}` : ''}`,
                    `${graphics.listen ? `on ${graphics.listen}` : 'no network listener'}${graphics.port !== undefined && graphics.port > 0 ? `, port ${graphics.port}` : graphics.autoport ? ', port chosen at start' : ''}`,
                  ])}
                />
              )}
        </Section>
        <Section title="Consoles and channels">
          {vm.consoles.length === 0
            ? none('No consoles.')
            : (
                <FactList
                  facts={vm.consoles.map((console, index) => [
                    `${console.kind}${console.target ? ` (${console.target})` : ''}${vm.consoles.filter((other) => other.kind === console.kind).length > 1 ? ` #${index + 1}` : ''}`,
                    [console.type, console.path, console.logFile ? `logged to ${console.logFile}` : undefined].filter(Boolean).join(', '),
                  ])}
                />
              )}
        </Section>
      </SimpleGrid>
    </Stack>
  );
}
