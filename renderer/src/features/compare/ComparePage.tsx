// The Compare lab: a VM, a container and the host side by side, measured live: probes, the host's view, the
// start-time race and the guided experiments, and the whole run exported as Markdown or JSON.
// Never imports node:*, electron or backend code.
import { Alert, Button, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconDownload, IconInfoCircle } from '@tabler/icons-react';
import { claims, engineRealityCheck } from '@shared/compare-findings';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ExperimentsPanel } from './ExperimentsPanel';
import { HostViewPanel } from './HostViewPanel';
import { labMarkdown, labReport } from './lab-report';
import { labState, useLab } from './lab-store';
import { MeasureChart } from './MeasureChart';
import { ProbeTable, subjectNames } from './ProbeTable';
import { RacePanel } from './RacePanel';
import { SubjectPicker } from './SubjectPicker';

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function exportRun(format: 'md' | 'json'): void {
  const report = labReport(labState());
  const stamp = report.generatedAt.replaceAll(':', '-').replace(/\..*/, '');
  if (format === 'json') download(`isolab-compare-${stamp}.json`, 'application/json', JSON.stringify(report, null, 2));
  else download(`isolab-compare-${stamp}.md`, 'text/markdown', labMarkdown(report));
}

export function ComparePage() {
  const lab = useLab();
  const { probes } = lab;
  const subjects = probes.subjects;
  const reality = engineRealityCheck(subjects, undefined);
  const loopBars = (['host', 'container', 'vm'] as const).flatMap((subject) => {
    const run = probes.runs.find((entry) => entry.probe === 'cpu-loop' && entry.subject === subject);
    const loopMs = run?.value?.fields.loopMs;
    return typeof loopMs === 'number' ? [{ name: subjectNames[subject], value: loopMs }] : [];
  });
  const hasResults = probes.runs.length > 0 || Boolean(lab.race.result) || Object.keys(lab.experiments).length > 0;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1} size="h2">
            Compare lab
          </Title>
          <Text size="sm" c="dimmed" maw={760}>
            Runs the same probes in a VM, a container and on this host, and shows what differs. Every value comes from a command run just now; open a row to
            see the command and its raw output.
          </Text>
        </Stack>
        <Group gap="xs">
          <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />} disabled={!hasResults} onClick={() => exportRun('md')}>
            Export Markdown
          </Button>
          <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />} disabled={!hasResults} onClick={() => exportRun('json')}>
            Export JSON
          </Button>
        </Group>
      </Group>
      <SubjectPicker />
      {reality && (
        <Alert color="yellow" variant="light" title="Containers run inside a VM here" icon={<IconInfoCircle aria-hidden />} data-testid="engine-reality-check">
          {reality}
        </Alert>
      )}
      {subjects?.vm?.acceleration === 'tcg' && (
        <Alert color="blue" variant="light" title={`${subjects.vm.name} runs under QEMU software emulation (TCG)`} icon={<IconInfoCircle aria-hidden />}>
          This host offers no usable KVM, so QEMU translates every guest instruction: the VM's times are many times slower than they would be under KVM.
        </Alert>
      )}
      {subjects?.vm?.error && <ErrorAlert title={`The probes cannot reach ${subjects.vm.name}`} error={subjects.vm.error} />}
      {probes.error && <ErrorAlert title="The probes stopped" error={probes.error} />}
      <Tabs defaultValue="probes" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="probes">Probes</Tabs.Tab>
          <Tabs.Tab value="host">Host view</Tabs.Tab>
          <Tabs.Tab value="race">Start race</Tabs.Tab>
          <Tabs.Tab value="experiments">Experiments</Tabs.Tab>
          <Tabs.Tab value="claims">The seven claims</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="probes" pt="md">
          {subjects || probes.running ? (
            <Stack gap="md">
              <ProbeTable probes={probes} />
              {loopBars.length > 0 && <MeasureChart title="CPU-bound loop, same program" unit="ms" bars={loopBars} testId="loop-chart" />}
            </Stack>
          ) : (
            <Text c="dimmed">Choose the subjects and run the probes.</Text>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="host" pt="md">
          <HostViewPanel />
        </Tabs.Panel>
        <Tabs.Panel value="race" pt="md">
          <RacePanel />
        </Tabs.Panel>
        <Tabs.Panel value="experiments" pt="md">
          <ExperimentsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="claims" pt="md">
          <Stack gap="xs">
            {claims.map((claim) => (
              <Text key={claim.id} size="sm">
                <b>{claim.id}.</b> {claim.text}
              </Text>
            ))}
            <Text size="sm" c="dimmed">
              Each probe row and experiment names the claims its measurement shows.
            </Text>
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
