// A check's status as icon plus word (never colour alone), in the one status palette.
// Never imports node:*, electron or backend code.
import { Badge } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import type { CheckStatus } from '@shared/types';
import { statusColors, statusLabels, statusTextColors } from '../theme';

const icons = { ok: IconCircleCheck, warning: IconAlertTriangle, error: IconCircleX } as const;

export function StatusBadge({ status }: { status: CheckStatus }) {
  const Icon = icons[status];
  return (
    <Badge
      color={statusColors[status]}
      variant="light"
      styles={{ root: { color: statusTextColors[status] } }}
      leftSection={<Icon size={14} aria-hidden />}
    >
      {statusLabels[status]}
    </Badge>
  );
}

export function StatusIcon({ status }: { status: CheckStatus }) {
  const Icon = icons[status];
  return <Icon size={20} color={statusTextColors[status]} aria-label={statusLabels[status]} role="img" />;
}
