// The parts of an object's detail page (a container, a VM): the way back to the list, the header with name, badges,
// a line of facts and the actions, the "no such …" / read failure state, and tabs kept in ?tab= with only the shown
// one mounted (so its streams run only while seen). Never imports node:*, electron or backend code.
import { Anchor, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { AppError } from '@shared/errors';
import { ErrorAlert } from './ErrorAlert';

/** Where the page came from: the list's route and its name ("All VMs"). */
export interface BackTo {
  to: string;
  label: string;
}

function BackLink({ back }: { back: BackTo }) {
  return (
    <Anchor component={Link} to={back.to} size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        {back.label}
      </Group>
    </Anchor>
  );
}

export function DetailHeader({ back, title, badges, facts, actions }: { back: BackTo; title: string; badges: ReactNode; facts: string; actions: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end">
      <Stack gap={4}>
        <BackLink back={back} />
        <Group gap="sm">
          <Title order={1}>{title}</Title>
          {badges}
        </Group>
        <Text size="sm" c="dimmed">
          {facts}
        </Text>
      </Stack>
      {actions}
    </Group>
  );
}

/** The read failed: NOT_FOUND says the object is gone (marked with `missingTestId`), anything else shows the error. */
export function DetailReadFailure({
  back,
  error,
  noun,
  missingTestId,
  missingText,
  failureTitle,
}: {
  back: BackTo;
  error: unknown;
  /** "VM", "container". */
  noun: string;
  missingTestId: string;
  missingText: ReactNode;
  failureTitle: string;
}) {
  const missing = error instanceof AppError && error.code === 'NOT_FOUND';
  return (
    <Stack gap="md" align="flex-start" data-testid={missing ? missingTestId : undefined}>
      <BackLink back={back} />
      <Title order={1}>{missing ? `No such ${noun}` : `Could not read the ${noun}`}</Title>
      {missing ? <Text>{missingText}</Text> : <ErrorAlert title={failureTitle} error={error} />}
    </Stack>
  );
}

export interface DetailTab {
  value: string;
  label: string;
  panel: ReactNode;
}

/** The first tab is the default, and leaves ?tab= out of the address. */
export function DetailTabs({ tabs }: { tabs: DetailTab[] }) {
  const [params, setParams] = useSearchParams();
  const first = tabs[0]?.value;
  const tab = tabs.find((candidate) => candidate.value === params.get('tab'))?.value ?? first;
  return (
    <Tabs value={tab} onChange={(value) => setParams(value && value !== first ? { tab: value } : {}, { replace: true })} keepMounted={false}>
      <Tabs.List>
        {tabs.map((candidate) => (
          <Tabs.Tab key={candidate.value} value={candidate.value}>
            {candidate.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {tabs.map((candidate) => (
        <Tabs.Panel key={candidate.value} value={candidate.value} pt="md">
          {candidate.panel}
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
