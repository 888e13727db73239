// What shows while a read is under way: a spinner and what is being read, announced politely.
// Never imports node:*, electron or backend code.
import { Group, Loader, Text } from '@mantine/core';

/** `size="xs"` for a read inside a dialog or a row. */
export function ReadingStatus({ text, size = 'sm' }: { text: string; size?: 'xs' | 'sm' }) {
  return (
    <Group gap={size === 'xs' ? 'xs' : 'sm'} role="status">
      <Loader size={size} />
      <Text size={size === 'xs' ? 'sm' : undefined}>{text}</Text>
    </Group>
  );
}
