// One doctor section: its status and summary, each check with what was found and its fix, and the raw facts.
// Never imports node:*, electron or backend code.
import { Accordion, Divider, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Check, Section } from '@shared/types';
import { FixBlock } from '../../components/FixBlock';
import { StatusBadge, StatusIcon } from '../../components/StatusBadge';

function CheckRow({ check }: { check: Check }) {
  return (
    <Group align="flex-start" wrap="nowrap" gap="sm" data-check={check.id}>
      <StatusIcon status={check.status} />
      <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
        <Text size="sm">
          <Text span fw={600}>
            {check.label}:{' '}
          </Text>
          {check.summary}
        </Text>
        {check.detail && (
          <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
            {check.detail}
          </Text>
        )}
        {check.fix && <FixBlock fix={check.fix} />}
      </Stack>
    </Group>
  );
}

export function SectionCard<Facts>({
  id,
  title,
  section,
  children,
}: {
  id: string;
  title: string;
  section: Section<Facts>;
  children: ReactNode;
}) {
  const headingId = `doctor-${id}`;
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={headingId}>
      <Stack gap="md">
        <Group justify="space-between" align="center">
          <Group gap="sm">
            <Title order={2} size="h3" id={headingId}>
              {title}
            </Title>
            <StatusBadge status={section.status} />
          </Group>
          <Text fw={500}>{section.summary}</Text>
        </Group>
        <Stack gap="sm">
          {section.checks.map((check, index) => (
            <Stack key={check.id} gap="sm">
              {index > 0 && <Divider />}
              <CheckRow check={check} />
            </Stack>
          ))}
        </Stack>
        <Accordion variant="contained" chevronPosition="left">
          <Accordion.Item value="facts">
            <Accordion.Control>Details</Accordion.Control>
            <Accordion.Panel>{children}</Accordion.Panel>
          </Accordion.Item>
        </Accordion>
      </Stack>
    </Paper>
  );
}
