// Shows a failed request: what happened, the engine's own words, and what to do.
// Never imports node:*, electron or backend code.
import { Alert, Code, Stack, Text } from '@mantine/core';
import { IconCircleX } from '@tabler/icons-react';
import { AppError } from '@shared/errors';
import { FixBlock } from './FixBlock';

export function ErrorAlert({ title, error }: { title: string; error: unknown }) {
  const appError = error instanceof AppError ? error : new AppError('INTERNAL', String(error));
  return (
    // Engine text carries 64-digit ids and long paths: they wrap rather than run out of the alert.
    <Alert color="red" variant="light" title={title} icon={<IconCircleX aria-hidden />} role="alert" style={{ overflowWrap: 'anywhere' }}>
      <Stack gap="xs">
        <Text size="sm">{appError.message}</Text>
        {appError.detail && (
          <Code block style={{ whiteSpace: 'pre-wrap' }}>
            {appError.detail}
          </Code>
        )}
        {appError.fix && <FixBlock fix={appError.fix} />}
      </Stack>
    </Alert>
  );
}
