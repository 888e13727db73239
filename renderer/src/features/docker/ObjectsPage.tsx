// The frame of the images, volumes and networks pages: title and what the page is for, Prune and the page's
// main action, then its list while the engine answers (the engine banner otherwise). Never imports node:*, electron or backend code.
import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { IconTrashX, type Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { DockerGate } from './EngineBanner';

export function ObjectsPage({
  title,
  description,
  pruneLabel,
  onPrune,
  action,
  list,
  children,
}: {
  title: string;
  description: string;
  /** "Prune dangling", "Prune unused". */
  pruneLabel: string;
  onPrune: () => void;
  /** The main action: pull an image, create a volume. */
  action: { label: string; icon: Icon; onClick: () => void };
  list: ReactNode;
  /** The open dialog, if any. */
  children?: ReactNode;
}) {
  const ActionIcon = action.icon;
  return (
    <Stack gap="lg" maw={1200}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{title}</Title>
          <Text c="dimmed">{description}</Text>
        </div>
        <Group gap="sm">
          <Button variant="default" leftSection={<IconTrashX size={16} aria-hidden />} onClick={onPrune}>
            {pruneLabel}
          </Button>
          <Button leftSection={<ActionIcon size={16} aria-hidden />} onClick={action.onClick}>
            {action.label}
          </Button>
        </Group>
      </Group>
      <DockerGate>{list}</DockerGate>
      {children}
    </Stack>
  );
}
