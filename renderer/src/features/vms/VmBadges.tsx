// A VM's state and the acceleration it runs with, as icon plus words (never colour alone), in the app's status
// palette: software emulation is always said out loud. Never imports node:*, electron or backend code.
import { Badge, Tooltip } from '@mantine/core';
import {
  IconAlertTriangle,
  IconBolt,
  IconCircleDashed,
  IconCpu,
  IconMoon,
  IconPlayerPauseFilled,
  IconPlayerPlayFilled,
  IconPlayerStopFilled,
  IconPower,
  IconSkull,
  type Icon,
} from '@tabler/icons-react';
import type { VmAcceleration, VmState } from '@shared/vm-types';
import { statusColors, statusTextColors } from '../../theme';

interface Look {
  label: string;
  icon: Icon;
  color: string;
  textColor: string;
}

const neutral = { color: 'gray', textColor: 'var(--mantine-color-text)' };
const ok = { color: statusColors.ok, textColor: statusTextColors.ok };
const warning = { color: statusColors.warning, textColor: statusTextColors.warning };
const error = { color: statusColors.error, textColor: statusTextColors.error };

export const stateLooks: Record<VmState, Look> = {
  running: { label: 'Running', icon: IconPlayerPlayFilled, ...ok },
  blocked: { label: 'Blocked', icon: IconPlayerPlayFilled, ...warning },
  paused: { label: 'Paused', icon: IconPlayerPauseFilled, ...warning },
  shutdown: { label: 'Shutting down', icon: IconPower, ...warning },
  shutoff: { label: 'Shut off', icon: IconPlayerStopFilled, ...neutral },
  crashed: { label: 'Crashed', icon: IconSkull, ...error },
  pmsuspended: { label: 'Suspended', icon: IconMoon, ...warning },
  nostate: { label: 'No state', icon: IconCircleDashed, ...neutral },
};

function LookBadge({ look, title, sentenceCase = false }: { look: Look; title?: string; sentenceCase?: boolean }) {
  const IconShape = look.icon;
  const badge = (
    <Badge
      color={look.color}
      variant="light"
      tt={sentenceCase ? 'none' : undefined}
      styles={{ root: { color: look.textColor, flexShrink: 0 } }}
      leftSection={<IconShape size={12} aria-hidden />}
    >
      {look.label}
    </Badge>
  );
  return title ? <Tooltip label={title}>{badge}</Tooltip> : badge;
}

export function VmStateBadge({ state, reason }: { state: VmState; reason?: string }) {
  const look = stateLooks[state] ?? { label: state, icon: IconAlertTriangle, ...neutral };
  return <LookBadge look={look} {...(reason && reason !== 'unknown' ? { title: `${look.label}: ${reason}` } : {})} />;
}

export const accelerationLabels: Record<VmAcceleration, string> = {
  kvm: 'KVM',
  tcg: 'Software emulation (TCG)',
  other: 'Other hypervisor',
};

export function AccelerationBadge({ acceleration, domainType }: { acceleration: VmAcceleration; domainType: string }) {
  const look: Look =
    acceleration === 'kvm'
      ? { label: accelerationLabels.kvm, icon: IconBolt, ...ok }
      : acceleration === 'tcg'
        ? { label: accelerationLabels.tcg, icon: IconCpu, ...warning }
        : { label: domainType, icon: IconCpu, ...neutral };
  const title =
    acceleration === 'tcg'
      ? 'QEMU emulates the CPU in software (domain type "qemu"): correct but many times slower than KVM.'
      : acceleration === 'kvm'
        ? 'Hardware virtualization through /dev/kvm (domain type "kvm").'
        : `Domain type "${domainType}".`;
  // A label rather than a state: read as words, and narrow enough for the list.
  return <LookBadge look={look} title={title} sentenceCase />;
}
