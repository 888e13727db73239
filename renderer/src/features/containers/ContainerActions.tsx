// A container's actions, on its list row and in its detail header: the main one (start, stop or resume) as a
// button and the others in a menu; a loader in their place while one is in flight. Never imports node:*, electron or backend code.
import { ActionIcon, Button, Group, Loader, Menu } from '@mantine/core';
import {
  IconEdit,
  IconHandStop,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlayerStop,
  IconRefresh,
  IconSkull,
  IconTrash,
} from '@tabler/icons-react';
import type { ContainerSummary } from '@shared/docker-types';
import { MoreActionsMenu, RowActionBar } from '../../components/ObjectActions';
import { OpenShellButton } from '../terminal/OpenShellButton';
import { useContainerDialogs } from './ContainerDialogs';
import { useContainerActions, type ContainerAction } from './use-container-actions';

type Target = Pick<ContainerSummary, 'id' | 'name' | 'state'>;

const pendingWords: Record<ContainerAction['action'], string> = {
  start: 'Starting',
  stop: 'Stopping',
  restart: 'Restarting',
  pause: 'Pausing',
  unpause: 'Resuming',
  kill: 'Killing',
  remove: 'Removing',
  rename: 'Renaming',
};

/** The one action a row offers as a button: what the container's state calls for. */
function mainAction(state: Target['state']): { action: 'start' | 'stop' | 'unpause'; label: string; icon: typeof IconPlayerPlay } {
  if (state === 'running' || state === 'restarting') return { action: 'stop', label: 'Stop', icon: IconPlayerStop };
  if (state === 'paused') return { action: 'unpause', label: 'Resume', icon: IconPlayerPlay };
  return { action: 'start', label: 'Start', icon: IconPlayerPlay };
}

export function ContainerActions({
  container,
  pending,
  layout,
  onRemoved,
}: {
  container: Target;
  pending: ContainerAction['action'] | undefined;
  layout: 'row' | 'header';
  onRemoved?: () => void;
}) {
  const { run } = useContainerActions();
  const dialogs = useContainerDialogs();
  const { id, name, state } = container;
  const live = state === 'running' || state === 'paused' || state === 'restarting';
  const main = mainAction(state);
  const MainIcon = main.icon;
  const doMain = () => run({ action: main.action, id, name });

  const menu = (
    <MoreActionsMenu
      name={name}
      layout={layout}
      disabled={pending !== undefined}
      detailsPath={`/containers/${id}`}
      remove={{ label: 'Remove…', onClick: () => dialogs.remove([container], onRemoved) }}
    >
      <Menu.Item leftSection={<IconRefresh size={16} aria-hidden />} onClick={() => run({ action: 'restart', id, name })}>
        Restart
      </Menu.Item>
      {state === 'paused' ? (
        <Menu.Item leftSection={<IconPlayerPlay size={16} aria-hidden />} onClick={() => run({ action: 'unpause', id, name })}>
          Resume
        </Menu.Item>
      ) : (
        <Menu.Item leftSection={<IconPlayerPause size={16} aria-hidden />} disabled={state !== 'running'} onClick={() => run({ action: 'pause', id, name })}>
          Pause
        </Menu.Item>
      )}
      <Menu.Item leftSection={<IconHandStop size={16} aria-hidden />} disabled={!live} onClick={() => dialogs.stop(container)}>
        Stop with timeout…
      </Menu.Item>
      <Menu.Item leftSection={<IconSkull size={16} aria-hidden />} disabled={!live} onClick={() => dialogs.kill(container)}>
        Kill…
      </Menu.Item>
      <Menu.Item leftSection={<IconEdit size={16} aria-hidden />} onClick={() => dialogs.rename(container)}>
        Rename…
      </Menu.Item>
    </MoreActionsMenu>
  );

  if (layout === 'row') {
    return (
      <RowActionBar
        name={name}
        main={{ label: main.label, icon: MainIcon, onClick: doMain }}
        busy={pending && <Loader size={18} aria-label={`${pendingWords[pending]} ${name}`} role="status" data-testid="row-pending" />}
      >
        <OpenShellButton container={{ id, name, running: state === 'running' }} layout="row" />
        <ActionIcon variant="subtle" color="red" aria-label={`Remove ${name}`} title="Remove" disabled={pending !== undefined} onClick={() => dialogs.remove([container], onRemoved)}>
          <IconTrash size={18} aria-hidden />
        </ActionIcon>
        {menu}
      </RowActionBar>
    );
  }
  return (
    <Group gap="xs">
      <Button
        leftSection={<MainIcon size={16} aria-hidden />}
        onClick={doMain}
        loading={pending !== undefined}
        disabled={pending !== undefined}
      >
        {main.label}
      </Button>
      <Button
        variant="default"
        color="red"
        leftSection={<IconTrash size={16} aria-hidden />}
        disabled={pending !== undefined}
        onClick={() => dialogs.remove([container], onRemoved)}
      >
        Remove
      </Button>
      {menu}
    </Group>
  );
}
