// One pane showing a VM's graphical console (noVNC): its state, Ctrl+Alt+Del and other key combos from a menu,
// scaling to the pane, reconnect. Never imports node:*, electron or backend code.
import { ActionIcon, Box, Button, Group, Loader, Menu, Switch, Text } from '@mantine/core';
import { IconKeyboard, IconRefresh } from '@tabler/icons-react';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PaneFrame, SessionBadge } from '../TerminalPane';
import { keysyms, type VncView } from './vnc-view';

const combos: { label: string; keys: number[] }[] = [
  { label: 'Ctrl+Alt+Backspace', keys: [keysyms.Control_L, keysyms.Alt_L, keysyms.BackSpace] },
  { label: 'Ctrl+Alt+F1', keys: [keysyms.Control_L, keysyms.Alt_L, keysyms.F1] },
  { label: 'Ctrl+Alt+F2', keys: [keysyms.Control_L, keysyms.Alt_L, keysyms.F1 + 1] },
  { label: 'Ctrl+Alt+F7', keys: [keysyms.Control_L, keysyms.Alt_L, keysyms.F1 + 6] },
  { label: 'Alt+Tab', keys: [keysyms.Alt_L, keysyms.Tab] },
  { label: 'Alt+F4', keys: [keysyms.Alt_L, keysyms.F1 + 3] },
  { label: 'Super (Windows key)', keys: [keysyms.Super_L] },
  { label: 'Print Screen', keys: [keysyms.Print] },
  { label: 'Escape', keys: [keysyms.Escape] },
];

export function VncPane({ view, title, label, visible }: { view: VncView; title: string; label: string; visible: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const status = useSyncExternalStore(view.state.subscribe, view.state.get);
  const scaled = useSyncExternalStore(view.state.subscribe, () => view.scaled);

  useEffect(() => {
    const element = host.current;
    if (!element || !visible) return undefined;
    view.mount(element);
    return () => view.unmount();
  }, [view, visible]);

  const connected = status.state === 'connected';
  const badge =
    status.state === 'connected' ? (
      <SessionBadge tone="ok" label={`Connected to ${status.display}`} testId="vnc-state" state="connected" />
    ) : (
      <SessionBadge
        tone={status.state === 'failed' ? 'error' : 'neutral'}
        label={status.state === 'connecting' ? 'Connecting' : status.state === 'failed' ? 'Failed' : 'Disconnected'}
        testId="vnc-state"
        state={status.state}
      />
    );

  return (
    <PaneFrame
      title={title}
      label={label}
      status={badge}
      actions={
        <>
          <Switch size="xs" label="Scale to fit" checked={scaled} onChange={(event) => view.setScaled(event.currentTarget.checked)} />
          <Button size="xs" variant="default" disabled={!connected} onClick={() => view.sendCtrlAltDel()}>
            Ctrl+Alt+Del
          </Button>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray" aria-label={`Send keys to ${title}`} disabled={!connected}>
                <IconKeyboard size={16} aria-hidden />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>Send to the VM</Menu.Label>
              {combos.map((combo) => (
                <Menu.Item key={combo.label} onClick={() => view.sendCombo(combo.keys)}>
                  {combo.label}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
          <ActionIcon variant="subtle" color="gray" aria-label={`Reconnect ${title}`} onClick={() => view.reconnect()}>
            <IconRefresh size={16} aria-hidden />
          </ActionIcon>
        </>
      }
    >
      {status.state === 'connecting' && (
        <Group gap="xs" role="status" py={4}>
          <Loader size="xs" />
          <Text size="sm">Connecting to the display of {view.name}…</Text>
        </Group>
      )}
      {status.state === 'failed' && <ErrorAlert title="The console could not be opened" error={status.error} />}
      {status.state === 'disconnected' && (
        <Text size="sm" role="status" py={4}>
          {status.message} Reconnect when the VM runs again.
        </Text>
      )}
      <Box style={{ flex: 1, minHeight: 0, background: '#1a1b1e' }}>
        <div ref={host} style={{ width: '100%', height: '100%' }} />
      </Box>
    </PaneFrame>
  );
}
