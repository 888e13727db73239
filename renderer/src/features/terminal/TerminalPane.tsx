// One pane showing one terminal tab: its title (what it is attached to), state, find bar, copy/paste from a menu
// and a right-click menu, and what to do when the session ended or failed. Never imports node:*, electron or backend code.
import { ActionIcon, Alert, Badge, Box, Button, Group, Loader, Menu, Text, TextInput, Tooltip } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconClipboard, IconCopy, IconDotsVertical, IconEraser, IconRefresh, IconSearch, IconSelectAll, IconX } from '@tabler/icons-react';
import { useEffect, useRef, useState, useSyncExternalStore, type MouseEvent as ReactMouseEvent, type ReactNode } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { statusColors, statusTextColors } from '../../theme';
import { notifyFailure } from '../../hooks/use-rpc-mutation';
import { closeTab } from './terminal-store';
import type { TerminalView } from './terminal-view';

export function PaneFrame({ title, status, actions, children, label }: { title: string; status: ReactNode; actions: ReactNode; children: ReactNode; label: string }) {
  return (
    <Box component="section" aria-label={label} style={{ display: 'flex', flexDirection: 'column', minWidth: 0, minHeight: 0, flex: 1 }}>
      <Group justify="space-between" wrap="nowrap" gap="xs" py={4}>
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
          <Text fw={600} size="sm" truncate data-testid="pane-title">
            {title}
          </Text>
          {status}
        </Group>
        <Group gap={4} wrap="nowrap">
          {actions}
        </Group>
      </Group>
      {children}
    </Box>
  );
}

const tones = {
  ok: { color: statusColors.ok, c: statusTextColors.ok },
  neutral: { color: 'gray', c: 'var(--mantine-color-text)' },
  error: { color: statusColors.error, c: statusTextColors.error },
};

/** A session's state in the app's status palette (readable in both schemes). */
export function SessionBadge({ tone, label, testId, state }: { tone: keyof typeof tones; label: string; testId: string; state: string }) {
  return (
    <Badge size="sm" variant="light" {...tones[tone]} data-testid={testId} data-state={state}>
      {label}
    </Badge>
  );
}

function StatusBadge({ view }: { view: TerminalView }) {
  const status = useSyncExternalStore(view.state.subscribe, view.state.get);
  const [tone, label] = (
    { running: ['ok', 'Running'], opening: ['neutral', 'Opening'], exited: ['neutral', 'Ended'], failed: ['error', 'Failed'] } as const
  )[status.state];
  return <SessionBadge tone={tone} label={label} testId="terminal-state" state={status.state} />;
}

function FindBar({ view, onClose }: { view: TerminalView; onClose(): void }) {
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // Opened from a shortcut or a button: typing goes to the find field at once.
  useEffect(() => input.current?.focus(), []);
  const find = (forward: boolean) => {
    if (!text) return;
    const found = forward ? view.search.findNext(text) : view.search.findPrevious(text);
    setMissing(!found);
  };
  return (
    <Group gap={4} wrap="nowrap" pb={4}>
      <TextInput
        size="xs"
        aria-label="Find in terminal"
        placeholder="Find in terminal"
        value={text}
        error={missing ? 'Not found' : undefined}
        onChange={(event) => {
          setText(event.currentTarget.value);
          setMissing(false);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') find(!event.shiftKey);
          if (event.key === 'Escape') onClose();
        }}
        ref={input}
        style={{ flex: 1 }}
      />
      <ActionIcon variant="default" aria-label="Find previous" onClick={() => find(false)}>
        <IconArrowUp size={16} aria-hidden />
      </ActionIcon>
      <ActionIcon variant="default" aria-label="Find next" onClick={() => find(true)}>
        <IconArrowDown size={16} aria-hidden />
      </ActionIcon>
      <ActionIcon variant="subtle" color="gray" aria-label="Close find" onClick={onClose}>
        <IconX size={16} aria-hidden />
      </ActionIcon>
    </Group>
  );
}

function EndedBanner({ view, tabKey }: { view: TerminalView; tabKey: string }) {
  const status = useSyncExternalStore(view.state.subscribe, view.state.get);
  if (status.state === 'opening') {
    return (
      <Group gap="xs" role="status" py={4}>
        <Loader size="xs" />
        <Text size="sm">Opening the session…</Text>
      </Group>
    );
  }
  const actions = (canReopen: boolean) => (
    <Group gap="xs" mt="xs">
      {canReopen && (
        <Button size="xs" leftSection={<IconRefresh size={14} aria-hidden />} onClick={() => view.reopen()}>
          Reopen
        </Button>
      )}
      <Button size="xs" variant="default" onClick={() => closeTab(tabKey)}>
        Close tab
      </Button>
    </Group>
  );
  if (status.state === 'failed') {
    return (
      <Box py={4}>
        <ErrorAlert title="The terminal could not be opened" error={status.error} />
        {actions(status.canReopen)}
      </Box>
    );
  }
  if (status.state === 'exited') {
    return (
      <Alert color="gray" variant="light" py="xs" my={4} title="The session ended" role="status">
        <Text size="sm">{status.message}</Text>
        {actions(status.canReopen)}
      </Alert>
    );
  }
  return null;
}

export function TerminalPane({ view, tabKey, title, label, visible }: { view: TerminalView; tabKey: string; title: string; label: string; visible: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const [finding, setFinding] = useState(false);
  const [menuAt, setMenuAt] = useState<{ x: number; y: number } | undefined>();

  useEffect(() => {
    const element = host.current;
    if (!element || !visible) return undefined;
    view.mount(element, () => setFinding(true));
    return () => view.unmount();
  }, [view, visible]);

  const copy = () =>
    view.copySelection().then(
      (copied) => copied || notifyFailure('Nothing to copy', new Error('Select text in the terminal first.')),
      (error: unknown) => notifyFailure('Could not copy', error),
    );
  const paste = () =>
    navigator.clipboard.readText().then(
      (text) => view.paste(text),
      () => notifyFailure('Could not read the clipboard', new Error('Paste with Ctrl+Shift+V in the terminal instead.')),
    );
  const items = (
    <>
      <Menu.Item leftSection={<IconCopy size={16} aria-hidden />} onClick={() => void copy()}>
        Copy (Ctrl+Shift+C)
      </Menu.Item>
      <Menu.Item leftSection={<IconClipboard size={16} aria-hidden />} onClick={() => void paste()}>
        Paste (Ctrl+Shift+V)
      </Menu.Item>
      <Menu.Item leftSection={<IconSelectAll size={16} aria-hidden />} onClick={() => view.terminal.selectAll()}>
        Select all
      </Menu.Item>
      <Menu.Item leftSection={<IconSearch size={16} aria-hidden />} onClick={() => setFinding(true)}>
        Find (Ctrl+Shift+F)
      </Menu.Item>
      <Menu.Item leftSection={<IconEraser size={16} aria-hidden />} onClick={() => view.terminal.clear()}>
        Clear scrollback
      </Menu.Item>
    </>
  );

  const onContextMenu = (event: ReactMouseEvent<HTMLDivElement>) => {
    event.preventDefault();
    const box = event.currentTarget.getBoundingClientRect();
    setMenuAt({ x: event.clientX - box.left, y: event.clientY - box.top });
  };

  return (
    <PaneFrame
      title={title}
      label={label}
      status={<StatusBadge view={view} />}
      actions={
        <>
          <Tooltip label="Find (Ctrl+Shift+F)">
            <ActionIcon variant="subtle" color="gray" aria-label={`Find in ${title}`} onClick={() => setFinding((open) => !open)}>
              <IconSearch size={16} aria-hidden />
            </ActionIcon>
          </Tooltip>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray" aria-label={`Terminal actions for ${title}`}>
                <IconDotsVertical size={16} aria-hidden />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>{items}</Menu.Dropdown>
          </Menu>
        </>
      }
    >
      {finding && <FindBar view={view} onClose={() => setFinding(false)} />}
      <EndedBanner view={view} tabKey={tabKey} />
      <Box pos="relative" style={{ flex: 1, minHeight: 0 }} onContextMenu={onContextMenu}>
        <div ref={host} data-testid="terminal" data-title={title} style={{ position: 'absolute', inset: 0 }} />
        <Menu opened={menuAt !== undefined} onChange={(opened) => !opened && setMenuAt(undefined)} position="bottom-start" withinPortal>
          <Menu.Target>
            <Box pos="absolute" left={menuAt?.x ?? 0} top={menuAt?.y ?? 0} w={1} h={1} aria-hidden />
          </Menu.Target>
          <Menu.Dropdown aria-label="Terminal context menu">{items}</Menu.Dropdown>
        </Menu>
      </Box>
    </PaneFrame>
  );
}
