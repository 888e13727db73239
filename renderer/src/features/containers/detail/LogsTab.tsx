// A container's logs from the containers.logs stream: follow, timestamps, tail and since choose what is read;
// stderr lines are marked in colour and with "err"; a filter narrows what is shown and Download saves it.
// The view sticks to the end while the user is there. Never imports node:*, electron or backend code.
import { ActionIcon, Badge, Box, Button, Group, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { IconArrowDown, IconDownload, IconSearch, IconX } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LogLine } from '@shared/docker-types';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useRpcStream } from '../../../hooks/use-rpc-stream';

// Beyond this many lines the oldest are dropped, so a chatty container cannot exhaust the page's memory.
const maxLines = 100_000;

const tails = [
  { value: '100', label: 'Last 100 lines' },
  { value: '500', label: 'Last 500 lines' },
  { value: '2000', label: 'Last 2000 lines' },
  { value: '10000', label: 'Last 10000 lines' },
  { value: 'all', label: 'All lines' },
];

const sinces = [
  { value: 'any', label: 'Any time' },
  { value: '60', label: 'Last minute' },
  { value: '600', label: 'Last 10 minutes' },
  { value: '3600', label: 'Last hour' },
  { value: '86400', label: 'Last day' },
];

interface LogOptions {
  id: string;
  follow: boolean;
  timestamps: boolean;
  tail?: number;
  since?: number;
}

function lineText(line: LogLine): string {
  return line.time ? `${line.time} ${line.text}` : line.text;
}

function download(name: string, lines: LogLine[]): void {
  const blob = new Blob([lines.map((line) => `${lineText(line)}\n`).join('')], { type: 'text/plain' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `${name}.log`;
  link.click();
  URL.revokeObjectURL(url);
}

function LogView({ options, name, filter }: { options: LogOptions; name: string; filter: string }) {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [ended, setEnded] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  useRpcStream('containers.logs', options, {
    onEvent: (batch) => {
      if (batch.lines.length > 0) setLines((previous) => {
        const next = previous.concat(batch.lines);
        return next.length > maxLines ? next.slice(next.length - maxLines) : next;
      });
      if (batch.ended) setEnded(true);
    },
    onError: setFailure,
    onEnd: () => setEnded(true),
  });

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return needle ? lines.filter((line) => line.text.toLowerCase().includes(needle)) : lines;
  }, [lines, filter]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const [atEnd, setAtEnd] = useState(true);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the virtualizer re-renders this component itself.
  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scrollRef.current, estimateSize: () => 20, overscan: 20 });
  useEffect(() => {
    if (atEnd && shown.length > 0) virtualizer.scrollToIndex(shown.length - 1, { align: 'end' });
  }, [atEnd, shown.length, virtualizer]);

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text size="sm" c="dimmed" role="status" data-testid="log-count">
          {filter.trim() ? `${shown.length} of ${lines.length} lines match` : `${lines.length} lines`}
          {ended ? ' · the log ended (the container stopped or following is off)' : options.follow ? ' · following' : ''}
        </Text>
        <Group gap="xs">
          <Group gap={6}>
            <Badge variant="light" color="red" styles={{ root: { color: 'var(--isolab-status-error)' } }}>
              err
            </Badge>
            <Text size="xs">marks stderr lines</Text>
          </Group>
          {!atEnd && (
            <Button size="xs" variant="default" leftSection={<IconArrowDown size={14} aria-hidden />} onClick={() => setAtEnd(true)}>
              Jump to the end
            </Button>
          )}
          <Button
            size="xs"
            variant="default"
            leftSection={<IconDownload size={14} aria-hidden />}
            disabled={shown.length === 0}
            onClick={() => download(name, shown)}
          >
            Download
          </Button>
        </Group>
      </Group>
      {failure !== null && <ErrorAlert title="Could not read the logs" error={failure} />}
      <Box
        ref={scrollRef}
        h="60vh"
        tabIndex={0}
        role="log"
        aria-label={`Logs of ${name}`}
        data-testid="log-view"
        onScroll={(event) => {
          const element = event.currentTarget;
          setAtEnd(element.scrollHeight - element.scrollTop - element.clientHeight < 24);
        }}
        style={{
          overflow: 'auto',
          fontFamily: 'var(--mantine-font-family-monospace)',
          fontSize: 'var(--mantine-font-size-xs)',
          border: '1px solid var(--mantine-color-default-border)',
          borderRadius: 'var(--mantine-radius-md)',
          background: 'var(--mantine-color-body)',
        }}
      >
        {shown.length === 0 ? (
          <Text size="sm" c="dimmed" p="sm">
            {lines.length === 0 ? 'No log lines yet.' : 'No line matches the filter.'}
          </Text>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const line = shown[item.index];
              if (!line) return null;
              const error = line.stream === 'stderr';
              return (
                <div
                  key={item.key}
                  ref={virtualizer.measureElement}
                  data-index={item.index}
                  data-testid="log-line"
                  data-stream={line.stream}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    width: '100%',
                    transform: `translateY(${item.start}px)`,
                    display: 'flex',
                    gap: 8,
                    padding: '1px 8px',
                    whiteSpace: 'pre-wrap',
                    wordBreak: 'break-all',
                    color: error ? 'var(--isolab-status-error)' : undefined,
                    background: error ? 'var(--mantine-color-red-light)' : undefined,
                  }}
                >
                  <span style={{ flex: '0 0 2.5em', fontWeight: 700 }}>{error ? 'err' : ''}</span>
                  {line.time && <span style={{ flex: '0 0 auto', color: error ? undefined : 'var(--mantine-color-dimmed)' }}>{line.time}</span>}
                  <span>{line.text}</span>
                </div>
              );
            })}
          </div>
        )}
      </Box>
    </Stack>
  );
}

export function LogsTab({ id, name }: { id: string; name: string }) {
  const [follow, setFollow] = useState(true);
  const [timestamps, setTimestamps] = useState(false);
  const [tail, setTail] = useState('500');
  // Unix seconds, fixed when the user picks a window: a moving `since` would restart the stream on every render.
  const [since, setSince] = useState<{ choice: string; seconds?: number }>({ choice: 'any' });
  const [filter, setFilter] = useState('');
  const options: LogOptions = {
    id,
    follow,
    timestamps,
    ...(tail === 'all' ? {} : { tail: Number(tail) }),
    ...(since.seconds === undefined ? {} : { since: since.seconds }),
  };
  return (
    <Stack gap="sm">
      <Group gap="md" align="flex-end">
        <TextInput
          label="Filter"
          placeholder="Show lines containing…"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={filter}
          onChange={(event) => setFilter(event.currentTarget.value)}
          rightSection={
            filter ? (
              <ActionIcon variant="subtle" color="gray" size="sm" aria-label="Clear the filter" onClick={() => setFilter('')}>
                <IconX size={14} aria-hidden />
              </ActionIcon>
            ) : null
          }
          w={260}
        />
        <Select label="Tail" data={tails} value={tail} onChange={(value) => setTail(value ?? '500')} allowDeselect={false} w={170} />
        <Select
          label="Since"
          data={sinces}
          value={since.choice}
          allowDeselect={false}
          w={170}
          onChange={(value) => {
            const choice = value ?? 'any';
            setSince(choice === 'any' ? { choice } : { choice, seconds: Math.floor(Date.now() / 1000) - Number(choice) });
          }}
        />
        <Switch label="Follow" checked={follow} onChange={(event) => setFollow(event.currentTarget.checked)} mb={8} />
        <Switch label="Timestamps" checked={timestamps} onChange={(event) => setTimestamps(event.currentTarget.checked)} mb={8} />
      </Group>
      <LogView key={JSON.stringify(options)} options={options} name={name} filter={filter} />
    </Stack>
  );
}
