// A state (of a container, a VM…) as icon plus word, never colour alone, in the app's status palette, from the
// mapping its area gives; a tooltip when there is more to say. Never imports node:*, electron or backend code.
import { Badge, Tooltip } from '@mantine/core';
import { IconAlertTriangle, type Icon } from '@tabler/icons-react';
import { statusColors, statusTextColors } from '../theme';

export interface Look {
  label: string;
  icon: Icon;
  color: string;
  textColor: string;
}

/** The palette's colour pairs, spread into a Look. */
export const tones = {
  neutral: { color: 'gray', textColor: 'var(--mantine-color-text)' },
  ok: { color: statusColors.ok, textColor: statusTextColors.ok },
  warning: { color: statusColors.warning, textColor: statusTextColors.warning },
  error: { color: statusColors.error, textColor: statusTextColors.error },
};

export function LookBadge({ look, title, sentenceCase = false }: { look: Look; title?: string; sentenceCase?: boolean }) {
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

/** The look of a state; one the mapping does not know (a newer engine's) shows as its own word. */
export function lookOf<State extends string>(looks: Record<State, Look>, state: State): Look {
  return looks[state] ?? { label: state, icon: IconAlertTriangle, ...tones.neutral };
}
