// The window's frame: header, the sidebar with the areas that exist, and the routed page.
// Never imports node:*, electron or backend code.
import { AppShell, Group, NavLink, Text, Title } from '@mantine/core';
import { IconStethoscope } from '@tabler/icons-react';
import { createHashRouter, NavLink as RouterNavLink, Outlet, RouterProvider } from 'react-router';
import { ColorSchemeControl } from './components/ColorSchemeControl';
import { DoctorPage } from './features/doctor/DoctorPage';

const areas = [{ path: '/', label: 'Host doctor', icon: IconStethoscope }];

function Frame() {
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm' }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs">
            <img src="./isolab.svg" alt="" width={28} height={28} />
            <Title order={2} size="h4">
              Isolab
            </Title>
            <Text size="sm" c="dimmed" visibleFrom="sm">
              VMs and containers, side by side
            </Text>
          </Group>
          <ColorSchemeControl />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Areas">
        {areas.map(({ path, label, icon: Icon }) => (
          <NavLink
            key={path}
            component={RouterNavLink}
            to={path}
            end
            label={label}
            leftSection={<Icon size={18} stroke={1.6} aria-hidden />}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

// A hash router: the Electron window loads the page from a file, where path routes cannot reload.
const router = createHashRouter([{ path: '/', element: <Frame />, children: [{ index: true, element: <DoctorPage /> }] }]);

export function App() {
  return <RouterProvider router={router} />;
}
