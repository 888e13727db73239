// The window's frame: header, the sidebar with the areas that exist, and the routed page.
// Never imports node:*, electron or backend code.
import { AppShell, Group, Loader, NavLink, Text, Title } from '@mantine/core';
import { IconArrowsDiff, IconBox, IconDatabase, IconDeviceDesktop, IconNetwork, IconServer2, IconStack2, IconStethoscope, IconTerminal2, IconTopologyRing } from '@tabler/icons-react';
import { lazy, Suspense } from 'react';
import { createHashRouter, NavLink as RouterNavLink, Outlet, RouterProvider } from 'react-router';
import { ColorSchemeControl } from './components/ColorSchemeControl';
import { ContainerDetailPage } from './features/containers/detail/ContainerDetailPage';
import { ContainersPage } from './features/containers/ContainersPage';
import { RunWizardPage } from './features/containers/run-wizard/RunWizardPage';
import { useDockerChanges } from './features/docker/use-docker-changes';
import { DoctorPage } from './features/doctor/DoctorPage';
import { ImagesPage } from './features/images/ImagesPage';
import { NetworksPage } from './features/networks/NetworksPage';
import { StoragePage } from './features/storage/StoragePage';
import { CreateVmPage } from './features/vms/create/CreateVmPage';
import { VmDetailPage } from './features/vms/detail/VmDetailPage';
import { VmNetworksPage } from './features/vms/VmNetworksPage';
import { VmsPage } from './features/vms/VmsPage';
import { VolumesPage } from './features/volumes/VolumesPage';

// xterm.js (and noVNC after it) are most of the bundle: the Terminals page loads on its first visit.
const TerminalsPage = lazy(() => import('./features/terminal/TerminalsPage').then((module) => ({ default: module.TerminalsPage })));
// The Compare lab carries charts and xterm.js for its experiments: loaded on its first visit too.
const ComparePage = lazy(() => import('./features/compare/ComparePage').then((module) => ({ default: module.ComparePage })));

// The sidebar, in order; each area's pages are routes below.
const areas = [
  { path: '/', label: 'Host doctor', icon: IconStethoscope },
  { path: '/vms', label: 'Virtual machines', icon: IconDeviceDesktop },
  { path: '/vm-networks', label: 'VM networks', icon: IconTopologyRing },
  { path: '/storage', label: 'Storage', icon: IconServer2 },
  { path: '/containers', label: 'Containers', icon: IconBox },
  { path: '/images', label: 'Images', icon: IconStack2 },
  { path: '/volumes', label: 'Volumes', icon: IconDatabase },
  { path: '/networks', label: 'Networks', icon: IconNetwork },
  { path: '/terminals', label: 'Terminals', icon: IconTerminal2 },
  { path: '/compare', label: 'Compare lab', icon: IconArrowsDiff },
];

function Frame() {
  useDockerChanges();
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
            end={path === '/'}
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
const router = createHashRouter([
  {
    path: '/',
    element: <Frame />,
    children: [
      { index: true, element: <DoctorPage /> },
      { path: 'vms', element: <VmsPage /> },
      { path: 'vms/new', element: <CreateVmPage /> },
      { path: 'vms/:uri/:name', element: <VmDetailPage /> },
      { path: 'vm-networks', element: <VmNetworksPage /> },
      { path: 'storage', element: <StoragePage /> },
      { path: 'containers', element: <ContainersPage /> },
      { path: 'containers/new', element: <RunWizardPage /> },
      { path: 'containers/:id', element: <ContainerDetailPage /> },
      { path: 'images', element: <ImagesPage /> },
      { path: 'volumes', element: <VolumesPage /> },
      { path: 'networks', element: <NetworksPage /> },
      {
        path: 'terminals',
        element: (
          <Suspense fallback={<Loader aria-label="Loading the Terminals page" />}>
            <TerminalsPage />
          </Suspense>
        ),
      },
      {
        path: 'compare',
        element: (
          <Suspense fallback={<Loader aria-label="Loading the Compare lab" />}>
            <ComparePage />
          </Suspense>
        ),
      },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
