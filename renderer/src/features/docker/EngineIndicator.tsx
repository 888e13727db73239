// One line in a Docker page's header: which engine answers at which address, with the endpoint switcher a
// click away. Never imports node:*, electron or backend code.
import { Button, Popover } from '@mantine/core';
import { IconPlugConnected } from '@tabler/icons-react';
import { EndpointSwitcher } from './EndpointSwitcher';
import { useDockerConnection } from './use-docker-changes';

export function EngineIndicator() {
  const connection = useDockerConnection();
  if (!connection.data || connection.data.status !== 'connected') return null;
  const { engine, address } = connection.data;
  return (
    <Popover position="bottom-end" withArrow trapFocus>
      <Popover.Target>
        <Button variant="subtle" color="gray" size="compact-sm" leftSection={<IconPlugConnected size={16} aria-hidden />} ml={-8}>
          {engine ? `${engine.product} ${engine.serverVersion}` : 'Docker'} · {address}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <EndpointSwitcher connection={connection.data} />
      </Popover.Dropdown>
    </Popover>
  );
}
