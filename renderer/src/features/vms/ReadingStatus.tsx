// What a VM page shows while a read is on its way: a spinner and what is being read, announced as a status.
// Never imports node:*, electron or backend code.
import { Group, Loader, Text } from '@mantine/core';

export function ReadingStatus({ what, size = 'sm' }: { what: string; size?: 'xs' | 'sm' }) {
  return (
    <Group gap={size === 'xs' ? 'xs' : 'sm'} role="status">
      <Loader size={size} />
      <Text size={size === 'xs' ? 'sm' : undefined}>{what}</Text>
    </Group>
  );
}
