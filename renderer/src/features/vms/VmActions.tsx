// A VM's actions, on its list row and in its detail header: the main one (start, shut down or resume) as a button,
// the console, and the others in a menu; a loader saying what runs while one is in flight. A shutdown the guest
// ignored opens the force-off question. Never imports node:*, electron or backend code.
import { ActionIcon, Button, Group, Loader, Menu, Text } from '@mantine/core';
import {
  IconCopy,
  IconDotsVertical,
  IconExternalLink,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlugOff,
  IconPower,
  IconRefresh,
  IconRepeat,
  IconRotateClockwise,
  IconTrash,
} from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import type { VmSummary } from '@shared/vm-types';
import { OpenConsoleButton } from '../terminal/OpenConsoleButton';
import { useVmActions, actionWords, type VmAction } from './use-vm-actions';
import { vmPath } from './use-vm-changes';
import { useVmDialogs } from './VmDialogs';

type Target = Pick<VmSummary, 'name' | 'state' | 'autostart'>;

function mainAction(state: Target['state']): { action: VmAction; label: string; icon: typeof IconPlayerPlay } {
  if (state === 'paused' || state === 'pmsuspended') return { action: 'resume', label: 'Resume', icon: IconPlayerPlay };
  if (state === 'shutoff' || state === 'crashed' || state === 'nostate') return { action: 'start', label: 'Start', icon: IconPlayerPlay };
  return { action: 'shutdown', label: 'Shut down', icon: IconPower };
}

export function VmActions({
  uri,
  vm,
  pending,
  layout,
  onDeleted,
}: {
  uri: string;
  vm: Target;
  pending: VmAction | undefined;
  layout: 'row' | 'header';
  onDeleted?: () => void;
}) {
  const dialogs = useVmDialogs();
  const { run } = useVmActions((request, result) => dialogs.forceOff({ uri: request.uri, name: request.name, state: result.state }, result.waitedMs));
  const { name, state } = vm;
  const target = { uri, name, state };
  const on = state !== 'shutoff' && state !== 'crashed' && state !== 'nostate';
  const running = state === 'running' || state === 'blocked';
  const main = mainAction(state);
  const MainIcon = main.icon;
  const act = (action: VmAction) => run({ action, uri, name });

  // A row mounts its menu on first use: a Menu per row is most of a row's rendering cost while scrolling.
  const [menuMounted, setMenuMounted] = useState(layout === 'header');
  const triggerRef = useRef<HTMLButtonElement>(null);
  const menu = !menuMounted ? (
    <ActionIcon variant="subtle" color="gray" aria-label={`More actions for ${name}`} aria-haspopup="menu" disabled={pending !== undefined} onClick={() => setMenuMounted(true)}>
      <IconDotsVertical size={18} aria-hidden />
    </ActionIcon>
  ) : (
    <Menu position="bottom-end" withinPortal defaultOpened={layout === 'row'} returnFocus={layout === 'header'} onClose={() => layout === 'row' && triggerRef.current?.focus()}>
      <Menu.Target>
        {layout === 'row' ? (
          <ActionIcon ref={triggerRef} variant="subtle" color="gray" aria-label={`More actions for ${name}`} disabled={pending !== undefined}>
            <IconDotsVertical size={18} aria-hidden />
          </ActionIcon>
        ) : (
          <Button variant="default" rightSection={<IconDotsVertical size={16} aria-hidden />} disabled={pending !== undefined}>
            More
          </Button>
        )}
      </Menu.Target>
      <Menu.Dropdown>
        {layout === 'row' && (
          <Menu.Item component={Link} to={vmPath(uri, name)} leftSection={<IconExternalLink size={16} aria-hidden />}>
            Open details
          </Menu.Item>
        )}
        {state === 'paused' ? (
          <Menu.Item leftSection={<IconPlayerPlay size={16} aria-hidden />} onClick={() => act('resume')}>
            Resume
          </Menu.Item>
        ) : (
          <Menu.Item leftSection={<IconPlayerPause size={16} aria-hidden />} disabled={!running} onClick={() => act('suspend')}>
            Pause
          </Menu.Item>
        )}
        <Menu.Item leftSection={<IconRotateClockwise size={16} aria-hidden />} disabled={!running} onClick={() => act('reboot')}>
          Reboot
        </Menu.Item>
        <Menu.Item leftSection={<IconRefresh size={16} aria-hidden />} disabled={!on} onClick={() => act('reset')}>
          Reset (hard)
        </Menu.Item>
        <Menu.Item leftSection={<IconPlugOff size={16} aria-hidden />} color="red" disabled={!on} onClick={() => act('destroy')}>
          Force off
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item leftSection={<IconRepeat size={16} aria-hidden />} onClick={() => act(vm.autostart ? 'autostart-off' : 'autostart-on')}>
          {vm.autostart ? 'Do not start at boot' : 'Start at host boot'}
        </Menu.Item>
        <Menu.Item leftSection={<IconCopy size={16} aria-hidden />} disabled={state !== 'shutoff'} onClick={() => dialogs.clone(target)}>
          Clone…
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => dialogs.remove(target, onDeleted)}>
          Delete…
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );

  if (layout === 'row') {
    return (
      <Group gap={4} wrap="nowrap" justify="flex-end">
        {pending ? (
          <Group gap={6} wrap="nowrap" role="status" data-testid="row-pending">
            <Loader size={16} aria-hidden />
            <Text size="xs" c="dimmed" aria-label={`${actionWords[pending].pending} ${name}`}>
              {actionWords[pending].pending}…
            </Text>
          </Group>
        ) : (
          <ActionIcon variant="subtle" color="gray" aria-label={`${main.label} ${name}`} title={main.label} onClick={() => act(main.action)}>
            <MainIcon size={18} aria-hidden />
          </ActionIcon>
        )}
        <OpenConsoleButton vm={{ uri, name, running: on }} layout="row" />
        {menu}
      </Group>
    );
  }
  return (
    <Group gap="xs">
      <Button leftSection={<MainIcon size={16} aria-hidden />} onClick={() => act(main.action)} loading={pending !== undefined} disabled={pending !== undefined}>
        {pending ? actionWords[pending].pending : main.label}
      </Button>
      <OpenConsoleButton vm={{ uri, name, running: on }} layout="header" />
      {menu}
    </Group>
  );
}
