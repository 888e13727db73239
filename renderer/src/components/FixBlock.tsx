// What to do about a problem: the advice, and the exact command with a copy button.
// Never imports node:*, electron or backend code.
import { ActionIcon, Code, CopyButton, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import type { Fix } from '@shared/errors';

export function FixBlock({ fix }: { fix: Fix }) {
  return (
    <Stack gap={4}>
      <Text size="sm">
        <Text span fw={600}>
          Fix:{' '}
        </Text>
        {fix.text}
      </Text>
      {fix.command && (
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Code block style={{ flex: 1, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {fix.command}
          </Code>
          <CopyButton value={fix.command}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? 'Copied' : 'Copy command'} withArrow>
                <ActionIcon
                  variant="default"
                  size="lg"
                  onClick={copy}
                  aria-label={copied ? 'Copied' : `Copy command: ${fix.command}`}
                >
                  {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
      )}
    </Stack>
  );
}
