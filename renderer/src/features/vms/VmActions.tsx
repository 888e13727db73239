// A VM's actions, on its list row and in its detail header: the main one (start, shut down or resume) as a button,
// the console, and the others in a menu; a loader saying what runs while one is in flight. A shutdown the guest
// ignored opens the force-off question. Never imports node:*, electron or backend code.
import { Button, Group, Loader, Menu, Text } from '@mantine/core';
import {
  IconCopy,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlugOff,
  IconPower,
  IconRefresh,
  IconRepeat,
  IconRotateClockwise,
} from '@tabler/icons-react';
import type { VmSummary } from '@shared/vm-types';
import { MoreActionsMenu, RowActionBar } from '../../components/ObjectActions';
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

  const menu = (
    <MoreActionsMenu
      name={name}
      layout={layout}
      disabled={pending !== undefined}
      detailsPath={vmPath(uri, name)}
      remove={{ label: 'Delete…', onClick: () => dialogs.remove(target, onDeleted) }}
    >
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
    </MoreActionsMenu>
  );

  if (layout === 'row') {
    return (
      <RowActionBar
        name={name}
        main={{ label: main.label, icon: MainIcon, onClick: () => act(main.action) }}
        busy={
          pending && (
            <Group gap={6} wrap="nowrap" role="status" data-testid="row-pending">
              <Loader size={16} aria-hidden />
              <Text size="xs" c="dimmed" aria-label={`${actionWords[pending].pending} ${name}`}>
                {actionWords[pending].pending}…
              </Text>
            </Group>
          )
        }
      >
        <OpenConsoleButton vm={{ uri, name, running: on }} layout="row" />
        {menu}
      </RowActionBar>
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
