// A wizard's section: a bordered region named by its heading, an optional line on what it is for, its fields.
// Never imports node:*, electron or backend code.
import { Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function WizardSection({ id, title, description, children }: { id: string; title: string; description?: string; children: ReactNode }) {
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={`wizard-${id}`}>
      <Stack gap="md">
        <div>
          <Title order={2} size="h4" id={`wizard-${id}`}>
            {title}
          </Title>
          {description && (
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          )}
        </div>
        {children}
      </Stack>
    </Paper>
  );
}
