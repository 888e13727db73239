// One terminal tab's life outside React: the xterm.js instance (fit, search, links, WebGL on a GPU while visible), its
// session's output stream with acknowledgements of what xterm has drawn, input, resizes and the exit.
// Kept while the page is away, so output is never lost. Never imports node:*, electron or backend code.
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal, type ITheme } from '@xterm/xterm';
import { AppError } from '@shared/errors';
import type { Subscription } from '@shared/rpc-client';
import type { TerminalSession, TerminalTarget } from '@shared/terminal-types';
import { rpc } from '../../api';
import { StatusStore } from './status-store';
import { gpuWebglAvailable } from './webgl-support';
import { fontFamily, scrollback } from './xterm-theme';

export type ViewStatus =
  | { state: 'opening' }
  | { state: 'running' }
  | { state: 'exited'; message: string; canReopen: boolean }
  | { state: 'failed'; error: AppError; canReopen: boolean };

/** What tests may read of a terminal (what the screen shows anyway), set on its element as `isolabTerminal`. */
export interface TerminalProbe {
  /**
   * The buffer's text, its lines joined by "\n" (a line wrapped over several rows stays one line, whatever the
   * width); only the last `lastLines` rows when given (cheap to poll).
   */
  text(lastLines?: number): string;
  readonly cols: number;
  readonly rows: number;
}

/**
 * Isolab's own lines in a terminal (a notice, the exit) in the theme's bright black: set apart from the program's
 * output yet readable (faint text, SGR 2, halves the contrast below what WCAG asks).
 */
function muted(text: string): string {
  return `\x1b[90m${text}\x1b[39m`;
}

function asAppError(error: unknown): AppError {
  return error instanceof AppError ? error : new AppError('INTERNAL', String(error));
}

export class TerminalView {
  readonly element = document.createElement('div');
  readonly terminal: Terminal;
  readonly search = new SearchAddon();
  private readonly fit = new FitAddon();
  private webgl: WebglAddon | undefined;
  private session: TerminalSession | undefined;
  private output: Subscription | undefined;
  private resizeObserver: ResizeObserver | undefined;
  private fitFrame = 0;
  /** Opening, running, ended or failed; the pane shows it. */
  readonly state = new StatusStore<ViewStatus>({ state: 'opening' });
  private disposed = false;
  /** The shown pane's find bar, opened by Ctrl+Shift+F. */
  private onFindRequested: (() => void) | undefined;

  constructor(
    readonly target: TerminalTarget,
    options: { fontSize: number; theme: ITheme },
    private readonly onTitle: (title: string) => void,
  ) {
    this.element.className = 'isolab-terminal';
    this.element.style.cssText = 'width:100%;height:100%';
    this.terminal = new Terminal({ fontFamily, fontSize: options.fontSize, theme: options.theme, scrollback, allowProposedApi: true, cursorBlink: true });
    this.terminal.loadAddon(this.fit);
    this.terminal.loadAddon(this.search);
    this.terminal.loadAddon(new WebLinksAddon((_event, uri) => window.open(uri, '_blank', 'noopener,noreferrer')));
    this.terminal.attachCustomKeyEventHandler((event) => this.shortcut(event));
    this.terminal.onData((data) => this.send(data));
    this.terminal.onBinary((data) => this.send(data));
    this.terminal.onResize(({ cols, rows }) => {
      if (this.session && this.state.get().state === 'running') {
        rpc.call('terminal.resize', { id: this.session.id, cols, rows }).catch(() => undefined);
      }
    });
    const terminal = this.terminal;
    const probe: TerminalProbe = {
      text(lastLines) {
        const buffer = terminal.buffer.active;
        const first = lastLines === undefined ? 0 : Math.max(0, buffer.length - lastLines);
        let text = '';
        for (let row = first; row < buffer.length; row++) {
          // A row that continues on the next one keeps its trailing spaces: they are part of the wrapped line.
          const continues = buffer.getLine(row + 1)?.isWrapped ?? false;
          if (row > first && !buffer.getLine(row)?.isWrapped) text += '\n';
          text += buffer.getLine(row)?.translateToString(!continues) ?? '';
        }
        return text;
      },
      get cols() {
        return terminal.cols;
      },
      get rows() {
        return terminal.rows;
      },
    };
    Object.defineProperty(this.element, 'isolabTerminal', { value: probe });
  }

  /**
   * Ctrl+Shift+C copies, Ctrl+Shift+F finds; Ctrl+Shift+V is left to the browser, whose paste event xterm reads
   * (so pasting needs no clipboard permission). Returns false for keys the terminal must not see.
   */
  private shortcut(event: KeyboardEvent): boolean {
    if (!event.ctrlKey || !event.shiftKey || event.altKey) return true;
    const key = event.key.toUpperCase();
    if (key === 'V') return false;
    if (key !== 'C' && key !== 'F') return true;
    if (event.type === 'keydown') {
      event.preventDefault();
      if (key === 'C') void this.copySelection();
      else this.onFindRequested?.();
    }
    return false;
  }

  /** Copies the selection; false when there is none. */
  async copySelection(): Promise<boolean> {
    const text = this.terminal.getSelection();
    if (!text) return false;
    await navigator.clipboard.writeText(text);
    return true;
  }

  /** Types text as a paste (bracketed when the program asked for it). */
  paste(text: string): void {
    this.terminal.paste(text);
    this.terminal.focus();
  }

  get title(): string | undefined {
    return this.session?.title;
  }

  get command(): string | undefined {
    return this.session?.command;
  }

  private send(data: string): void {
    if (!this.session || this.state.get().state !== 'running') return;
    rpc.call('terminal.input', { id: this.session.id, data }).catch(() => undefined);
  }

  /** Puts the terminal into `container` (opening xterm there the first time) and starts the session once sized. */
  mount(container: HTMLElement, onFindRequested: () => void): void {
    this.onFindRequested = onFindRequested;
    container.appendChild(this.element);
    if (!this.terminal.element) this.terminal.open(this.element);
    this.resizeObserver = new ResizeObserver(() => this.scheduleFit());
    this.resizeObserver.observe(this.element);
    this.enableWebgl();
    this.fitNow();
    if (!this.session && this.state.get().state === 'opening') void this.start();
  }

  /** Taken off the page: WebGL contexts are few (Chromium caps them), so only shown terminals keep one. */
  unmount(): void {
    this.onFindRequested = undefined;
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
    cancelAnimationFrame(this.fitFrame);
    this.webgl?.dispose();
    this.webgl = undefined;
    this.element.remove();
  }

  /** WebGL only when a GPU runs it: emulated on the CPU it is slower than the DOM renderer (webgl-support.ts). */
  private enableWebgl(): void {
    if (this.webgl || !gpuWebglAvailable()) return;
    try {
      const webgl = new WebglAddon();
      webgl.onContextLoss(() => {
        webgl.dispose();
        if (this.webgl === webgl) this.webgl = undefined;
      });
      this.terminal.loadAddon(webgl);
      this.webgl = webgl;
    } catch {
      // No WebGL here: xterm's default renderer draws instead.
      this.webgl = undefined;
    }
  }

  private scheduleFit(): void {
    cancelAnimationFrame(this.fitFrame);
    this.fitFrame = requestAnimationFrame(() => this.fitNow());
  }

  private fitNow(): void {
    if (this.element.isConnected && this.element.clientWidth > 0 && this.element.clientHeight > 0) this.fit.fit();
  }

  setFontSize(size: number): void {
    this.terminal.options.fontSize = size;
    this.fitNow();
  }

  setTheme(theme: ITheme): void {
    this.terminal.options.theme = theme;
  }

  focus(): void {
    this.terminal.focus();
  }

  private async start(): Promise<void> {
    this.state.set({ state: 'opening' });
    try {
      const session = await rpc.call('terminal.open', { target: this.target, cols: this.terminal.cols, rows: this.terminal.rows });
      if (this.disposed) {
        void rpc.call('terminal.close', { id: session.id }).catch(() => undefined);
        return;
      }
      this.session = session;
      this.onTitle(session.title);
      if (session.notice) this.terminal.writeln(muted(session.notice));
      this.state.set({ state: 'running' });
      this.follow(session);
      // The view may have changed size while the session opened.
      if (this.terminal.cols !== 0) void rpc.call('terminal.resize', { id: session.id, cols: this.terminal.cols, rows: this.terminal.rows }).catch(() => undefined);
    } catch (error) {
      const appError = asAppError(error);
      this.state.set({ state: 'failed', error: appError, canReopen: appError.code !== 'INVALID_ARGUMENT' });
    }
  }

  private follow(session: TerminalSession): void {
    this.output = rpc.subscribe(
      'terminal.output',
      { id: session.id },
      {
        next: (event) => {
          if (event.type === 'data') {
            this.writeAcknowledged(session.id, event.data);
            return;
          }
          this.terminal.write(`\r\n${muted(`[${event.message}]`)}\r\n`);
          this.state.set({ state: 'exited', message: event.message, canReopen: event.canReopen });
        },
        error: (error) => {
          if (this.state.get().state === 'running') this.state.set({ state: 'failed', error: asAppError(error), canReopen: true });
        },
      },
    );
  }

  /** Acknowledged once xterm has parsed it: the backend's flow control waits for the screen. */
  private writeAcknowledged(id: string, data: string): void {
    this.terminal.write(data, () => {
      if (!this.disposed) rpc.call('terminal.ack', { id, chars: data.length }).catch(() => undefined);
    });
  }

  /** Opens the same target again in this tab, after its process ended. */
  reopen(): void {
    this.output?.unsubscribe();
    this.output = undefined;
    this.session = undefined;
    this.terminal.writeln('');
    void this.start();
  }

  /** Ends the session and frees the terminal. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Unsubscribing ends the session on the backend too.
    this.output?.unsubscribe();
    if (this.session && this.state.get().state === 'running') void rpc.call('terminal.close', { id: this.session.id }).catch(() => undefined);
    this.unmount();
    this.terminal.dispose();
    this.state.clear();
  }
}
