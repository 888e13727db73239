// The engine's inspect JSON as it came, read-only, with a copy button. Never imports node:*, electron or backend code.
import { Button, Code, CopyButton, Group, ScrollArea, Stack } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';

export function InspectTab({ raw }: { raw: unknown }) {
  const json = JSON.stringify(raw, null, 2);
  return (
    <Stack gap="sm">
      <Group justify="flex-end">
        <CopyButton value={json}>
          {({ copied, copy }) => (
            <Button variant="default" size="xs" onClick={copy} leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}>
              {copied ? 'Copied' : 'Copy JSON'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <ScrollArea.Autosize mah="65vh" type="auto">
        <Code block data-testid="inspect-json" aria-label="Inspect JSON" tabIndex={0} style={{ whiteSpace: 'pre' }}>
          {json}
        </Code>
      </ScrollArea.Autosize>
    </Stack>
  );
}
