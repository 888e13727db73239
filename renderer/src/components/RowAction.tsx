// One icon button in a table row: a tooltip that says what it does, an accessible name that says to what, a
// link when it opens a page, and a reason instead of an action when it cannot be used. Never imports node:*, electron or backend code.
import { ActionIcon, Tooltip } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';
import { Link } from 'react-router';

export function RowAction({
  tip,
  label,
  icon: IconShape,
  color,
  onClick,
  to,
  unavailable,
}: {
  /** What the tooltip says: "Remove". */
  tip: string;
  /** The accessible name, naming the object: "Remove my-volume". */
  label: string;
  icon: Icon;
  color?: string;
  onClick?: () => void;
  /** A route to open instead of an action. */
  to?: string;
  /** Why the action cannot be used here: shown as the tooltip, and the button stays inert but focusable. */
  unavailable?: string;
}) {
  const icon = <IconShape size={18} aria-hidden />;
  if (unavailable !== undefined) {
    return (
      <Tooltip label={unavailable} multiline w={260}>
        <ActionIcon variant="subtle" color={color} aria-label={label} data-disabled aria-disabled onClick={(event) => event.preventDefault()}>
          {icon}
        </ActionIcon>
      </Tooltip>
    );
  }
  return (
    <Tooltip label={tip}>
      {to === undefined ? (
        <ActionIcon variant="subtle" color={color} aria-label={label} onClick={onClick}>
          {icon}
        </ActionIcon>
      ) : (
        <ActionIcon component={Link} to={to} variant="subtle" color={color} aria-label={label}>
          {icon}
        </ActionIcon>
      )}
    </Tooltip>
  );
}
