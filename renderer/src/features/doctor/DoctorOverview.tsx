// The report at a glance: one card per section with its status and summary; a card takes you to its section.
// Never imports node:*, electron or backend code.
import { Card, SimpleGrid, Stack, Text, UnstyledButton } from '@mantine/core';
import type { CheckStatus } from '@shared/types';
import { StatusBadge } from '../../components/StatusBadge';

export interface OverviewItem {
  id: string;
  title: string;
  status: CheckStatus;
  summary: string;
}

export function DoctorOverview({ items }: { items: OverviewItem[] }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
      {items.map((item) => (
        <UnstyledButton
          key={item.id}
          aria-label={`${item.title}: ${item.summary}. Show the ${item.title} section`}
          onClick={() => document.getElementById(`doctor-${item.id}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' })}
        >
          <Card withBorder padding="md" h="100%">
            <Stack gap={6}>
              <Text fw={600}>{item.title}</Text>
              <StatusBadge status={item.status} />
              <Text size="sm">{item.summary}</Text>
            </Stack>
          </Card>
        </UnstyledButton>
      ))}
    </SimpleGrid>
  );
}
