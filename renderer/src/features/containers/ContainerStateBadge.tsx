// A container's state as icon plus word (never colour alone), in the app's status palette.
// Never imports node:*, electron or backend code.
import {
  IconCircleDashed,
  IconPlayerPauseFilled,
  IconPlayerPlayFilled,
  IconPlayerStopFilled,
  IconRefresh,
  IconSkull,
  IconTrash,
} from '@tabler/icons-react';
import type { ContainerState } from '@shared/docker-types';
import { LookBadge, lookOf, tones, type Look } from '../../components/StateBadge';

const stateLooks: Record<ContainerState, Look> = {
  running: { label: 'Running', icon: IconPlayerPlayFilled, ...tones.ok },
  paused: { label: 'Paused', icon: IconPlayerPauseFilled, ...tones.warning },
  restarting: { label: 'Restarting', icon: IconRefresh, ...tones.warning },
  removing: { label: 'Removing', icon: IconTrash, ...tones.warning },
  created: { label: 'Created', icon: IconCircleDashed, ...tones.neutral },
  exited: { label: 'Exited', icon: IconPlayerStopFilled, ...tones.neutral },
  dead: { label: 'Dead', icon: IconSkull, ...tones.error },
};

export function ContainerStateBadge({ state }: { state: ContainerState }) {
  return <LookBadge look={lookOf(stateLooks, state)} />;
}
