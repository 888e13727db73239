// The home page: the host doctor, from one host.report call, re-checked on demand.
// Never imports node:*, electron or backend code.
import { Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { HostReport, HostSectionId, Section } from '@shared/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useRpcQuery } from '../../hooks/use-rpc-query';
import { DockerFactsView } from './DockerFactsView';
import { DoctorOverview } from './DoctorOverview';
import { GroupsFactsView } from './GroupsFactsView';
import { HostSummary } from './HostSummary';
import { KvmFactsView } from './KvmFactsView';
import { LibvirtFactsView } from './LibvirtFactsView';
import { SectionCard } from './SectionCard';

interface SectionView {
  id: HostSectionId;
  title: string;
  section: Section<unknown>;
  facts: ReactNode;
}

function sectionViews(report: HostReport): SectionView[] {
  return [
    { id: 'kvm', title: 'KVM', section: report.kvm, facts: <KvmFactsView facts={report.kvm.facts} /> },
    { id: 'libvirt', title: 'libvirt', section: report.libvirt, facts: <LibvirtFactsView facts={report.libvirt.facts} /> },
    { id: 'docker', title: 'Docker', section: report.docker, facts: <DockerFactsView facts={report.docker.facts} /> },
    { id: 'groups', title: 'Groups and permissions', section: report.groups, facts: <GroupsFactsView facts={report.groups.facts} /> },
  ];
}

export function DoctorPage() {
  const report = useRpcQuery('host.report', {});
  const views = report.data ? sectionViews(report.data) : [];
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

      {report.data && (
        <Stack gap="lg" aria-busy={report.isFetching} data-testid="doctor-report">
          <HostSummary report={report.data} />
          <DoctorOverview items={views.map(({ id, title, section }) => ({ id, title, status: section.status, summary: section.summary }))} />
          {views.map(({ id, title, section, facts }) => (
            <SectionCard key={id} id={id} title={title} section={section}>
              {facts}
            </SectionCard>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
