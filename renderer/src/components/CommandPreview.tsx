// The command lines a wizard amounts to, as a titled code block with a copy button; a hint instead while the
// fields do not make a command yet. Never imports node:*, electron or backend code.
import { ActionIcon, Code, CopyButton, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';

export function CommandPreview({ title, text, copyLabel, testId, empty }: { title: string; text: string | undefined; copyLabel: string; testId: string; empty: string }) {
  const titleId = `${testId}-title`;
  return (
    <Stack gap={6}>
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={600} id={titleId}>
          {title}
        </Text>
        {text !== undefined && (
          <CopyButton value={text}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? 'Copied' : 'Copy'}>
                <ActionIcon variant="subtle" onClick={copy} aria-label={copyLabel}>
                  {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        )}
      </Group>
      {text !== undefined ? (
        <Code block data-testid={testId} aria-labelledby={titleId} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxHeight: 360, overflow: 'auto' }}>
          {text}
        </Code>
      ) : (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      )}
    </Stack>
  );
}
