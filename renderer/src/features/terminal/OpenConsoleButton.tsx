// "Console" for a VM: the serial console (virsh console in a terminal) or the graphical one (VNC), opened as a tab
// on the Terminals page. For the VM list and detail pages. Never imports node:*, electron or backend code.
import { ActionIcon, Button, Menu } from '@mantine/core';
import { IconChevronDown, IconDeviceDesktop, IconTerminal } from '@tabler/icons-react';
import { useOpenTerminal } from './use-open-terminal';

export function OpenConsoleButton({ vm, layout }: { vm: { uri: string; name: string; running: boolean }; layout: 'row' | 'header' }) {
  const open = useOpenTerminal();
  const why = vm.running ? undefined : 'Start the VM to open its console';
  const target =
    layout === 'row' ? (
      <ActionIcon variant="subtle" color="gray" aria-label={`Open a console of ${vm.name}`} title={why ?? 'Console'} disabled={!vm.running}>
        <IconTerminal size={18} aria-hidden />
      </ActionIcon>
    ) : (
      <Button variant="default" leftSection={<IconTerminal size={16} aria-hidden />} rightSection={<IconChevronDown size={14} aria-hidden />} disabled={!vm.running} title={why}>
        Console
      </Button>
    );
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>{target}</Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconTerminal size={16} aria-hidden />} onClick={() => open.terminal({ kind: 'vm-serial', uri: vm.uri, name: vm.name })}>
          Serial console
        </Menu.Item>
        <Menu.Item leftSection={<IconDeviceDesktop size={16} aria-hidden />} onClick={() => open.vnc(vm.uri, vm.name)}>
          Graphical console (VNC)
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
