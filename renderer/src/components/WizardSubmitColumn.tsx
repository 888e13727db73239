// A wizard's side column, kept in view beside its sections: what the page puts there (command preview, progress,
// failure, the submit button), then the note when fields need attention, then any extra detail.
// Never imports node:*, electron or backend code.
import { Grid, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export function WizardSubmitColumn({ needsAttention, children, extra }: { needsAttention: boolean; children: ReactNode; extra?: ReactNode }) {
  return (
    <Grid.Col span={{ base: 12, md: 4 }}>
      <Paper withBorder p="lg" style={{ position: 'sticky', top: 'calc(var(--app-shell-header-height, 56px) + var(--mantine-spacing-lg))' }}>
        <Stack gap="md">
          {children}
          {/* Below the button: a message appearing above it on blur would move it away from the pointer. */}
          {needsAttention && (
            <Text size="sm" c="var(--isolab-status-error)" role="alert">
              Some fields need attention: see the messages next to them.
            </Text>
          )}
          {extra}
        </Stack>
      </Paper>
    </Grid.Col>
  );
}
