// What a page shows in place of its list when the engine behind it does not answer: a headline, then what
// happened and what to do (the area's own content). Never imports node:*, electron or backend code.
import { Group, Paper, Stack, Title } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import type { ReactNode } from 'react';

export function UnreachableBanner({ testId, title, children }: { testId: string; title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="lg" data-testid={testId}>
      <Stack gap="md">
        <Group gap="sm">
          <IconPlugConnectedX size={24} aria-hidden />
          <Title order={2} size="h3">
            {title}
          </Title>
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}
