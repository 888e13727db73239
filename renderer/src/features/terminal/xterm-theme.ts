// The terminal's colours for the app's light and dark schemes, and the font settings every terminal shares.
// Never imports node:*, electron or backend code.
import type { ITheme } from '@xterm/xterm';

export const darkTheme: ITheme = {
  background: '#1a1b1e',
  foreground: '#e4e5e7',
  cursor: '#e4e5e7',
  cursorAccent: '#1a1b1e',
  selectionBackground: '#4c5a9c99',
  // xterm's own grey (#666666) is too faint on this background for text (Isolab's notices use it).
  brightBlack: '#909296',
};

// xterm's default palette is made for dark backgrounds: on white, the light colours need darker shades.
export const lightTheme: ITheme = {
  background: '#ffffff',
  foreground: '#1f2328',
  cursor: '#1f2328',
  cursorAccent: '#ffffff',
  selectionBackground: '#aab4e699',
  black: '#1f2328',
  red: '#b3261e',
  green: '#116329',
  yellow: '#7a4a00',
  blue: '#1f4ea8',
  magenta: '#8a2c88',
  cyan: '#0b6677',
  white: '#6e7781',
  brightBlack: '#57606a',
  brightRed: '#a40e26',
  brightGreen: '#1a7f37',
  brightYellow: '#633c01',
  brightBlue: '#0550ae',
  brightMagenta: '#8250df',
  brightCyan: '#1b7c83',
  brightWhite: '#8c959f',
};

export const fontFamily = 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace';
export const fontSizes = { min: 8, max: 32, initial: 14 } as const;
export const scrollback = 10_000;
