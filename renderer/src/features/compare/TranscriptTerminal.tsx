// An experiment's visible terminal: a read-only xterm.js that shows each step's command line and its real output
// as they arrive, in the app's terminal colours. Never imports node:*, electron or backend code.
import { useComputedColorScheme } from '@mantine/core';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import { darkTheme, fontFamily, lightTheme, scrollback } from '../terminal/xterm-theme';

export function TranscriptTerminal({ text, label, testId }: { text: string; label: string; testId: string }) {
  const host = useRef<HTMLDivElement>(null);
  const terminal = useRef<Terminal | null>(null);
  const written = useRef(0);
  const scheme = useComputedColorScheme('light');

  useEffect(() => {
    const element = host.current;
    if (!element) return undefined;
    const created = new Terminal({ fontFamily, fontSize: 13, rows: 16, scrollback, disableStdin: true, convertEol: true, cursorInactiveStyle: 'none' });
    const fit = new FitAddon();
    created.loadAddon(fit);
    created.open(element);
    fit.fit();
    terminal.current = created;
    written.current = 0;
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(element);
    return () => {
      observer.disconnect();
      created.dispose();
      terminal.current = null;
    };
  }, []);

  useEffect(() => {
    if (terminal.current) terminal.current.options.theme = scheme === 'dark' ? darkTheme : lightTheme;
  }, [scheme]);

  useEffect(() => {
    const current = terminal.current;
    if (!current) return;
    // A new run starts a new transcript: begin again rather than append.
    if (text.length < written.current) {
      current.reset();
      written.current = 0;
    }
    current.write(text.slice(written.current));
    written.current = text.length;
  }, [text]);

  return <div ref={host} role="log" aria-label={label} data-testid={testId} style={{ height: 300, padding: 6, borderRadius: 6, background: scheme === 'dark' ? darkTheme.background : lightTheme.background }} />;
}
