// The home page: the host doctor, from one host.report call, re-checked on demand.
// Never imports node:*, electron or backend code.
import { Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useRpcQuery } from '../../hooks/use-rpc-query';
import { DockerFactsView } from './DockerFactsView';
import { GroupsFactsView } from './GroupsFactsView';
import { HostSummary } from './HostSummary';
import { KvmFactsView } from './KvmFactsView';
import { LibvirtFactsView } from './LibvirtFactsView';
import { SectionCard } from './SectionCard';

export function DoctorPage() {
  const report = useRpcQuery('host.report', {});
  const data = report.data;
  return (
    <Stack gap="lg" maw={1100}>
      <Group justify="space-between" align="flex-end" wrap="nowrap">
        <div>
          <Title order={1}>Host doctor</Title>
          <Text c="dimmed">What works on this machine for VMs and containers, and the exact command that fixes what does not.</Text>
        </div>
        <Button
          leftSection={<IconRefresh size={16} aria-hidden />}
          loading={report.isFetching}
          loaderProps={{ type: 'dots' }}
          onClick={() => void report.refetch()}
        >
          Re-check
        </Button>
      </Group>

      {report.isPending && (
        <Group gap="sm" role="status">
          <Loader size="sm" />
          <Text>Checking KVM, libvirt, Docker and your groups…</Text>
        </Group>
      )}
      {report.isError && <ErrorAlert title="The doctor could not finish" error={report.error} />}

      {data && (
        <Stack gap="lg" aria-busy={report.isFetching} data-testid="doctor-report">
          <HostSummary report={data} />
          <SectionCard id="kvm" title="KVM" section={data.kvm}>
            <KvmFactsView facts={data.kvm.facts} />
          </SectionCard>
          <SectionCard id="libvirt" title="libvirt" section={data.libvirt}>
            <LibvirtFactsView facts={data.libvirt.facts} />
          </SectionCard>
          <SectionCard id="docker" title="Docker" section={data.docker}>
            <DockerFactsView facts={data.docker.facts} />
          </SectionCard>
          <SectionCard id="groups" title="Groups and permissions" section={data.groups}>
            <GroupsFactsView facts={data.groups.facts} />
          </SectionCard>
        </Stack>
      )}
    </Stack>
  );
}
