// What shows while a read is under way: a spinner and what is being read, announced politely.
// Never imports node:*, electron or backend code.
import { Group, Loader, Text } from '@mantine/core';

export function ReadingStatus({ text }: { text: string }) {
  return (
    <Group gap="sm" role="status">
      <Loader size="sm" />
      <Text>{text}</Text>
    </Group>
  );
}
