// The app's Mantine theme: calm colours with readable contrast (WCAG AA), the system font, and one status
// palette used everywhere. Never imports node:*, electron or backend code.
import { createTheme, type CSSVariablesResolver } from '@mantine/core';
import type { CheckStatus } from '@shared/types';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 8 keeps white button text above 4.5:1 in both schemes.
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif',
  fontFamilyMonospace: 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace',
});

/**
 * Mantine's default dimmed grey, light badge text and field error red fall below 4.5:1 in both schemes; these
 * do not (field errors take the status palette's error colour). Its light
 * variant's hover (indigo-2) under indigo-9 text is 4.1:1, as on the active sidebar entry under the pointer:
 * halfway between indigo-1 and indigo-2 keeps 4.7:1 and still shows the hover.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-indigo-light-hover': '#cad6ff',
    '--mantine-color-error': 'var(--isolab-status-error)',
    '--isolab-status-ok': '#0b5c44',
    '--isolab-status-warning': '#7a4a00',
    '--isolab-status-error': '#a51d1d',
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-error': 'var(--isolab-status-error)',
    '--isolab-status-ok': 'var(--mantine-color-teal-3)',
    '--isolab-status-warning': 'var(--mantine-color-yellow-3)',
    '--isolab-status-error': 'var(--mantine-color-red-3)',
  },
});

export const statusColors: Record<CheckStatus, string> = { ok: 'teal', warning: 'yellow', error: 'red' };

export const statusTextColors: Record<CheckStatus, string> = {
  ok: 'var(--isolab-status-ok)',
  warning: 'var(--isolab-status-warning)',
  error: 'var(--isolab-status-error)',
};

export const statusLabels: Record<CheckStatus, string> = { ok: 'OK', warning: 'Warning', error: 'Error' };
