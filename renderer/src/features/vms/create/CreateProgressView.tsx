// A create's progress: the steps it goes through (done, current, to come), and a bar while the image downloads.
// Never imports node:*, electron or backend code.
import { Group, List, Progress, Stack, Text, ThemeIcon, VisuallyHidden } from '@mantine/core';
import { IconCheck, IconLoader2, IconPointFilled } from '@tabler/icons-react';
import type { VmCreateProgress, VmCreateStep } from '@shared/vm-create-types';
import { formatBytes } from '../../docker/format';

const stepLabels: Record<VmCreateStep, string> = {
  checking: 'Check the settings',
  downloading: 'Download the image',
  verifying: 'Check the SHA-256',
  'preparing-disk': 'Prepare the disk',
  'building-seed': 'Build the cloud-init seed',
  defining: 'Define the VM',
  starting: 'Start it',
  done: 'Done',
};

export function CreateProgressView({ steps, latest }: { steps: VmCreateStep[]; latest: VmCreateProgress | undefined }) {
  const current = latest?.step;
  const currentIndex = current ? steps.indexOf(current) : -1;
  const download = latest?.download;
  const percent = download?.totalBytes ? Math.min(100, (download.receivedBytes / download.totalBytes) * 100) : undefined;
  return (
    <Stack gap="sm" data-testid="create-progress">
      <List spacing={4} size="sm" center>
        {steps.map((step, index) => {
          const done = index < currentIndex || current === 'done';
          const active = index === currentIndex && current !== 'done';
          return (
            <List.Item
              key={step}
              icon={
                <ThemeIcon size={18} radius="xl" variant={done ? 'filled' : 'light'} color={done ? 'teal' : active ? 'indigo' : 'gray'}>
                  {done ? <IconCheck size={12} aria-hidden /> : active ? <IconLoader2 size={12} aria-hidden /> : <IconPointFilled size={10} aria-hidden />}
                </ThemeIcon>
              }
            >
              <Text size="sm" fw={active ? 600 : 400} c={done || active ? undefined : 'dimmed'}>
                {stepLabels[step]}
                {done ? <VisuallyHidden> (done)</VisuallyHidden> : active ? <VisuallyHidden> (now)</VisuallyHidden> : null}
              </Text>
            </List.Item>
          );
        })}
      </List>
      {current === 'downloading' && download && (
        <Stack gap={4}>
          <Group justify="space-between" gap="xs">
            <Text size="xs">Download</Text>
            <Text size="xs" c="dimmed">
              {formatBytes(download.receivedBytes)}
              {download.totalBytes ? ` of ${formatBytes(download.totalBytes)}` : ''}
            </Text>
          </Group>
          <Progress value={percent ?? 100} animated={percent === undefined} aria-label={`Download: ${percent === undefined ? 'size unknown' : `${Math.round(percent)}%`}`} />
        </Stack>
      )}
      <Text size="xs" c="dimmed" aria-live="polite">
        {latest?.message ?? 'Starting…'}
      </Text>
    </Stack>
  );
}

/** The steps a create of this source goes through, for the list above. */
export function plannedSteps(source: 'kernel' | 'iso' | 'cloudImage' | 'existingDisk', options: { download: boolean; verify: boolean; disk: boolean; start: boolean }): VmCreateStep[] {
  const steps: VmCreateStep[] = ['checking'];
  if (source === 'cloudImage' && options.download) steps.push('downloading');
  if (source === 'cloudImage' && options.verify) steps.push('verifying');
  if (options.disk) steps.push('preparing-disk');
  if (source === 'cloudImage') steps.push('building-seed');
  steps.push('defining');
  if (options.start) steps.push('starting');
  steps.push('done');
  return steps;
}
