// Prune in two steps: what would go (when the engine can tell), confirm, then what went and the space it
// freed; the lists it changes are read again. Never imports node:*, electron or backend code.
import { Button, Code, Group, List, Loader, Modal, ScrollArea, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { PruneResult } from '@shared/docker-types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useSubmission } from '../../hooks/use-submission';
import { formatBytes } from './format';

/** The read the estimate comes from (a react-query result). */
interface EstimateSource {
  isPending: boolean;
  isError: boolean;
  error: unknown;
}

export function PruneModal({
  title,
  what,
  source,
  estimate,
  nothing,
  prune,
  invalidates,
  freesSpace = true,
  onClose,
}: {
  title: string;
  /** "unused volumes", "dangling images": what prune removes. */
  what: string;
  source: EstimateSource;
  /** What would be freed, shown once `source` has answered. */
  estimate: ReactNode;
  /** True when there is nothing to prune: the Prune button stays off. */
  nothing: boolean;
  prune: () => Promise<PruneResult>;
  /** The methods whose cached reads the prune makes stale: "volumes.list". */
  invalidates: string[];
  /** False for what takes no disk space (networks): the result then says only what went. */
  freesSpace?: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const { pending, failure, submit } = useSubmission();
  const [result, setResult] = useState<PruneResult | null>(null);
  const run = () =>
    submit(async () => {
      setResult(await prune());
      for (const method of invalidates) void queryClient.invalidateQueries({ queryKey: [method] });
    });
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': 'Close dialog' }} title={title} centered>
      <Stack gap="md">
        {result ? (
          <Stack gap="xs" role="status" data-testid="prune-result">
            <Text>
              Removed {result.deleted.length} {what}
              {freesSpace ? `, freed ${formatBytes(result.spaceReclaimed)}.` : '.'}
            </Text>
            {result.deleted.length > 0 && (
              <ScrollArea.Autosize mah={200}>
                <List size="sm" spacing={2} style={{ overflowWrap: 'anywhere' }}>
                  {result.deleted.map((item) => (
                    <List.Item key={item}>
                      <Code>{item}</Code>
                    </List.Item>
                  ))}
                </List>
              </ScrollArea.Autosize>
            )}
          </Stack>
        ) : source.isPending ? (
          <Group gap="xs" role="status">
            <Loader size="xs" />
            <Text size="sm">Finding {what}…</Text>
          </Group>
        ) : source.isError ? (
          <ErrorAlert title={`Could not count ${what}`} error={source.error} />
        ) : (
          <Text data-testid="prune-estimate">{estimate}</Text>
        )}
        {failure !== null && <ErrorAlert title={`Pruning ${what} failed`} error={failure} />}
        <Group justify="flex-end">
          {result ? (
            <Button onClick={onClose}>Close</Button>
          ) : (
            <>
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button color="red" loading={pending} disabled={source.isPending || nothing} onClick={() => void run()}>
                Prune
              </Button>
            </>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
