// The Terminals page: every open terminal and VM console as a tab, shown in one pane or split into two; a host
// shell on demand; the font size, applied at once. Never imports node:*, electron or backend code.
import '@xterm/xterm/css/xterm.css';
import { ActionIcon, Box, Button, Group, Loader, NumberInput, Stack, Switch, Text, Title, useComputedColorScheme } from '@mantine/core';
import { IconDeviceDesktop, IconPlus, IconTerminal2, IconX } from '@tabler/icons-react';
import { lazy, Suspense, useEffect, useState } from 'react';
import { OpenVmConsoleDialog } from './OpenVmConsoleDialog';
import { TerminalPane } from './TerminalPane';
import { closeTab, focusPane, openTerminal, setDark, setFontSize, setSplit, showTab, useTerminals, type PaneIndex, type Tab } from './terminal-store';
import { fontSizes } from './xterm-theme';

// noVNC loads with the first graphical console (its view is created the same way, in the store).
const VncPane = lazy(() => import('./vnc/VncPane').then((module) => ({ default: module.VncPane })));

function PaneView({ tab, index, split }: { tab: Tab | undefined; index: PaneIndex; split: boolean }) {
  const label = split ? `${index === 0 ? 'Left' : 'Right'} pane${tab ? `: ${tab.title}` : ''}` : `Terminal${tab ? `: ${tab.title}` : ''}`;
  if (!tab) {
    return (
      <Box component="section" aria-label={label} style={{ flex: 1, display: 'grid', placeItems: 'center' }}>
        <Text c="dimmed" size="sm">
          Choose a tab above to show it here.
        </Text>
      </Box>
    );
  }
  return tab.kind === 'terminal' ? (
    <TerminalPane key={tab.key} view={tab.view} tabKey={tab.key} title={tab.title} label={label} visible />
  ) : (
    <Suspense fallback={<Loader size="sm" aria-label="Loading the console" />}>
      <VncPane key={tab.key} view={tab.view} title={tab.title} label={label} visible />
    </Suspense>
  );
}

function TabBar() {
  const { tabs, panes, focused, split } = useTerminals();
  return (
    <Group gap={6} component="ul" aria-label="Open terminals" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {tabs.map((tab) => {
        const pane = panes.indexOf(tab.key);
        const shown = pane === 0 || (split && pane === 1);
        const Icon = tab.kind === 'vnc' ? IconDeviceDesktop : IconTerminal2;
        return (
          <Group component="li" key={tab.key} gap={0} wrap="nowrap">
            <Button
              size="xs"
              variant={shown && pane === focused ? 'filled' : shown ? 'light' : 'default'}
              leftSection={<Icon size={14} aria-hidden />}
              aria-pressed={shown}
              onClick={() => showTab(tab.key)}
              style={{ borderTopRightRadius: 0, borderBottomRightRadius: 0 }}
              data-testid="terminal-tab"
            >
              {tab.title}
            </Button>
            <ActionIcon
              size={30}
              variant="default"
              aria-label={`Close ${tab.title}`}
              onClick={() => closeTab(tab.key)}
              style={{ borderTopLeftRadius: 0, borderBottomLeftRadius: 0, borderLeft: 0 }}
            >
              <IconX size={14} aria-hidden />
            </ActionIcon>
          </Group>
        );
      })}
    </Group>
  );
}

export function TerminalsPage() {
  const { tabs, panes, split, focused, fontSize } = useTerminals();
  const [vmDialog, setVmDialog] = useState(false);
  const scheme = useComputedColorScheme('light');
  useEffect(() => setDark(scheme === 'dark'), [scheme]);
  const tabFor = (key: string | undefined) => tabs.find((tab) => tab.key === key);
  const shownPanes: PaneIndex[] = split ? [0, 1] : [0];

  return (
    <Stack gap="sm" style={{ height: 'calc(100dvh - 56px - 2 * var(--mantine-spacing-lg))' }}>
      <Group justify="space-between" align="flex-end">
        <Title order={1}>Terminals</Title>
        <Group gap="md" align="flex-end">
          <NumberInput
            label="Font size"
            size="xs"
            w={90}
            min={fontSizes.min}
            max={fontSizes.max}
            value={fontSize}
            onChange={(value) => typeof value === 'number' && setFontSize(value)}
          />
          <Switch label="Split into two panes" checked={split} onChange={(event) => setSplit(event.currentTarget.checked)} />
          <Button variant="default" leftSection={<IconDeviceDesktop size={16} aria-hidden />} onClick={() => setVmDialog(true)}>
            VM console…
          </Button>
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => openTerminal({ kind: 'host-shell' })}>
            New host shell
          </Button>
        </Group>
      </Group>
      {vmDialog && <OpenVmConsoleDialog onClose={() => setVmDialog(false)} />}
      {tabs.length === 0 ? (
        <Stack gap="xs" align="flex-start">
          <Text>No terminals are open.</Text>
          <Text size="sm" c="dimmed">
            Open a shell on this machine with “New host shell”, a shell in a container from the Containers page, or a VM’s console from its page.
          </Text>
        </Stack>
      ) : (
        <>
          <TabBar />
          <Group gap="md" align="stretch" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
            {shownPanes.map((index) => (
              <Box
                key={index}
                onFocusCapture={() => focusPane(index)}
                onMouseDownCapture={() => focusPane(index)}
                data-focused={split && focused === index ? 'true' : undefined}
                style={{
                  flex: 1,
                  minWidth: 0,
                  display: 'flex',
                  borderTop: split ? `2px solid ${focused === index ? 'var(--mantine-primary-color-filled)' : 'transparent'}` : undefined,
                }}
              >
                <PaneView tab={tabFor(panes[index])} index={index} split={split} />
              </Box>
            ))}
          </Group>
        </>
      )}
    </Stack>
  );
}
