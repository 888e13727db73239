// An object's actions (a container's, a VM's) in a list row: the main action's button, or what runs while one is in
// flight; and the "More actions" menu of a row or detail header. A row mounts its Menu on first use (a Menu per row is
// most of a row's rendering cost while scrolling) and offers "Open details" first. Never imports node:*, electron or backend code.
import { ActionIcon, Button, Group, Menu } from '@mantine/core';
import { IconDotsVertical, IconExternalLink, IconTrash, type Icon } from '@tabler/icons-react';
import { useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router';

export function MoreActionsMenu({
  name,
  layout,
  disabled,
  detailsPath,
  remove,
  children,
}: {
  /** The object's name, for the trigger's accessible name. */
  name: string;
  layout: 'row' | 'header';
  /** While an action on the object is in flight. */
  disabled: boolean;
  /** The detail page a row's menu opens. */
  detailsPath: string;
  /** The destructive action, last and apart: "Delete…", "Remove…". */
  remove: { label: string; onClick: () => void };
  /** The Menu.Items before it. */
  children: ReactNode;
}) {
  const [menuMounted, setMenuMounted] = useState(layout === 'header');
  const triggerRef = useRef<HTMLButtonElement>(null);
  if (!menuMounted) {
    return (
      <ActionIcon variant="subtle" color="gray" aria-label={`More actions for ${name}`} aria-haspopup="menu" disabled={disabled} onClick={() => setMenuMounted(true)}>
        <IconDotsVertical size={18} aria-hidden />
      </ActionIcon>
    );
  }
  return (
    <Menu
      position="bottom-end"
      withinPortal
      defaultOpened={layout === 'row'}
      // Menu's own focus return aims at the trigger that was focused when it opened, which the first opening replaced.
      returnFocus={layout === 'header'}
      onClose={() => layout === 'row' && triggerRef.current?.focus()}
    >
      <Menu.Target>
        {layout === 'row' ? (
          <ActionIcon ref={triggerRef} variant="subtle" color="gray" aria-label={`More actions for ${name}`} disabled={disabled}>
            <IconDotsVertical size={18} aria-hidden />
          </ActionIcon>
        ) : (
          <Button variant="default" rightSection={<IconDotsVertical size={16} aria-hidden />} disabled={disabled}>
            More
          </Button>
        )}
      </Menu.Target>
      <Menu.Dropdown>
        {layout === 'row' && (
          <Menu.Item component={Link} to={detailsPath} leftSection={<IconExternalLink size={16} aria-hidden />}>
            Open details
          </Menu.Item>
        )}
        {children}
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={remove.onClick}>
          {remove.label}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

export function RowActionBar({
  name,
  main,
  busy,
  children,
}: {
  name: string;
  /** What the object's state calls for: start, stop, resume… */
  main: { label: string; icon: Icon; onClick: () => void };
  /** Shown instead of the main action while an action is in flight. */
  busy: ReactNode;
  /** The row's other actions, the menu last. */
  children: ReactNode;
}) {
  const MainIcon = main.icon;
  return (
    <Group gap={4} wrap="nowrap" justify="flex-end">
      {busy ?? (
        <ActionIcon variant="subtle" color="gray" aria-label={`${main.label} ${name}`} title={main.label} onClick={main.onClick}>
          <MainIcon size={18} aria-hidden />
        </ActionIcon>
      )}
      {children}
    </Group>
  );
}
