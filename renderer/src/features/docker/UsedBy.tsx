// The containers that use a volume or network, as links to their pages. Never imports node:*, electron or backend code.
import { Anchor, Group, Text } from '@mantine/core';
import { Link } from 'react-router';

export function UsedBy({ names }: { names: string[] }) {
  if (names.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        no container
      </Text>
    );
  }
  return (
    <Group gap={8}>
      {names.map((name) => (
        <Anchor key={name} component={Link} to={`/containers/${encodeURIComponent(name)}`} size="sm">
          {name}
        </Anchor>
      ))}
    </Group>
  );
}
