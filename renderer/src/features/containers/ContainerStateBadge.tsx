// A container's state as icon plus word (never colour alone), in the app's status palette.
// Never imports node:*, electron or backend code.
import { Badge } from '@mantine/core';
import {
  IconAlertTriangle,
  IconCircleDashed,
  IconPlayerPauseFilled,
  IconPlayerPlayFilled,
  IconPlayerStopFilled,
  IconRefresh,
  IconSkull,
  IconTrash,
  type Icon,
} from '@tabler/icons-react';
import type { ContainerState } from '@shared/docker-types';
import { statusColors, statusTextColors } from '../../theme';

interface StateLook {
  label: string;
  icon: Icon;
  color: string;
  textColor: string;
}

const neutral = { color: 'gray', textColor: 'var(--mantine-color-text)' };
const ok = { color: statusColors.ok, textColor: statusTextColors.ok };
const warning = { color: statusColors.warning, textColor: statusTextColors.warning };
const error = { color: statusColors.error, textColor: statusTextColors.error };

export const stateLooks: Record<ContainerState, StateLook> = {
  running: { label: 'Running', icon: IconPlayerPlayFilled, ...ok },
  paused: { label: 'Paused', icon: IconPlayerPauseFilled, ...warning },
  restarting: { label: 'Restarting', icon: IconRefresh, ...warning },
  removing: { label: 'Removing', icon: IconTrash, ...warning },
  created: { label: 'Created', icon: IconCircleDashed, ...neutral },
  exited: { label: 'Exited', icon: IconPlayerStopFilled, ...neutral },
  dead: { label: 'Dead', icon: IconSkull, ...error },
};

export function ContainerStateBadge({ state }: { state: ContainerState }) {
  const look = stateLooks[state] ?? { label: state, icon: IconAlertTriangle, ...neutral };
  const Icon = look.icon;
  return (
    <Badge
      color={look.color}
      variant="light"
      styles={{ root: { color: look.textColor, flexShrink: 0 } }}
      leftSection={<Icon size={12} aria-hidden />}
    >
      {look.label}
    </Badge>
  );
}
