// Prune in two steps: what would go (when the engine can tell), confirm, then what went and the space it
// freed. Never imports node:*, electron or backend code.
import { Button, Code, Group, List, Loader, Modal, ScrollArea, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { PruneResult } from '@shared/docker-types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatBytes } from '../docker/format';

export function PruneModal({
  title,
  what,
  estimate,
  prune,
  onClose,
}: {
  title: string;
  /** "unused volumes", "dangling images": what prune removes. */
  what: string;
  /** What would be freed, when known beforehand; `ready` false while it is read. */
  estimate: { ready: boolean; text?: ReactNode; nothing?: boolean; error?: unknown };
  prune: () => Promise<PruneResult>;
  onClose: () => void;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<PruneResult | null>(null);
  const run = async () => {
    setPending(true);
    setError(null);
    try {
      setResult(await prune());
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(false);
    }
  };
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close dialog' }} title={title} centered>
      <Stack gap="md">
        {result ? (
          <Stack gap="xs" role="status" data-testid="prune-result">
            <Text>
              Removed {result.deleted.length} {what}, freed {formatBytes(result.spaceReclaimed)}.
            </Text>
            {result.deleted.length > 0 && (
              <ScrollArea.Autosize mah={200}>
                <List size="sm" spacing={2}>
                  {result.deleted.map((item) => (
                    <List.Item key={item}>
                      <Code>{item}</Code>
                    </List.Item>
                  ))}
                </List>
              </ScrollArea.Autosize>
            )}
          </Stack>
        ) : !estimate.ready ? (
          <Group gap="xs" role="status">
            <Loader size="xs" />
            <Text size="sm">Finding {what}…</Text>
          </Group>
        ) : estimate.error !== undefined ? (
          <ErrorAlert title={`Could not count ${what}`} error={estimate.error} />
        ) : (
          <Text data-testid="prune-estimate">{estimate.text}</Text>
        )}
        {error !== null && <ErrorAlert title={`Pruning ${what} failed`} error={error} />}
        <Group justify="flex-end">
          {result ? (
            <Button onClick={onClose}>Close</Button>
          ) : (
            <>
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button color="red" loading={pending} disabled={!estimate.ready || estimate.nothing} onClick={() => void run()}>
                Prune
              </Button>
            </>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
