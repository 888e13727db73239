// A VM's state and the acceleration it runs with, as icon plus words (never colour alone), in the app's status
// palette: software emulation is always said out loud. Never imports node:*, electron or backend code.
import {
  IconBolt,
  IconCircleDashed,
  IconCpu,
  IconMoon,
  IconPlayerPauseFilled,
  IconPlayerPlayFilled,
  IconPlayerStopFilled,
  IconPower,
  IconSkull,
} from '@tabler/icons-react';
import type { VmAcceleration, VmState } from '@shared/vm-types';
import { LookBadge, lookOf, tones, type Look } from '../../components/StateBadge';

const stateLooks: Record<VmState, Look> = {
  running: { label: 'Running', icon: IconPlayerPlayFilled, ...tones.ok },
  blocked: { label: 'Blocked', icon: IconPlayerPlayFilled, ...tones.warning },
  paused: { label: 'Paused', icon: IconPlayerPauseFilled, ...tones.warning },
  shutdown: { label: 'Shutting down', icon: IconPower, ...tones.warning },
  shutoff: { label: 'Shut off', icon: IconPlayerStopFilled, ...tones.neutral },
  crashed: { label: 'Crashed', icon: IconSkull, ...tones.error },
  pmsuspended: { label: 'Suspended', icon: IconMoon, ...tones.warning },
  nostate: { label: 'No state', icon: IconCircleDashed, ...tones.neutral },
};

export function VmStateBadge({ state, reason }: { state: VmState; reason?: string }) {
  const look = lookOf(stateLooks, state);
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
      ? { label: accelerationLabels.kvm, icon: IconBolt, ...tones.ok }
      : acceleration === 'tcg'
        ? { label: accelerationLabels.tcg, icon: IconCpu, ...tones.warning }
        : { label: domainType, icon: IconCpu, ...tones.neutral };
  const title =
    acceleration === 'tcg'
      ? 'QEMU emulates the CPU in software (domain type "qemu"): correct but many times slower than KVM.'
      : acceleration === 'kvm'
        ? 'Hardware virtualization through /dev/kvm (domain type "kvm").'
        : `Domain type "${domainType}".`;
  // A label rather than a state: read as words, and narrow enough for the list.
  return <LookBadge look={look} title={title} sentenceCase />;
}
