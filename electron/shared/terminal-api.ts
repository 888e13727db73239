// Contract part: Terminals and consoles: host shell, container exec, VM serial console, VNC bridge.
// Spread into api.ts; pure TypeScript plus zod, no node:*, DOM or electron.
import { z } from 'zod';
import { method, stream, type MethodSpec, type StreamSpec } from './contract';
import { containerIdSchema } from './docker-schemas';
import type { TerminalEvent, TerminalSession, VncEvent } from './terminal-types';
import { connectionUriSchema, existingNameSchema } from './vm-schemas';

/** Where web mode serves the VNC console WebSocket; the one-time ticket follows as `?ticket=`. */
export const vncWebSocketPath = '/vnc';

/**
 * Unacknowledged output above which a session pauses its source, and below which it resumes (characters). Resuming
 * at half the window keeps xterm busy while the next batches travel (at 100k/5k xterm sat idle half the time, and
 * throughput was 0.7x of this); a full window is still only about a tenth of a second of xterm's parsing on a slow
 * machine, which bounds how much output still follows a Ctrl-C (bench/terminal.bench.ts measures both).
 */
export const terminalFlowControl = { highWatermark: 512_000, lowWatermark: 256_000 } as const;

/** Who the exec runs as: user, uid, user:group or uid:gid. */
export const execUserSchema = z.string().regex(/^[\w.-]+(?::[\w.-]+)?$/, 'Use user, uid, user:group or uid:gid.');

const sessionId = z.string().regex(/^[\w-]{16,64}$/, 'Not a terminal session id.');
const size = {
  cols: z.number().int().min(1).max(1000),
  rows: z.number().int().min(1).max(500),
};

export const terminalTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('host-shell') }),
  z.strictObject({
    kind: z.literal('container-exec'),
    id: containerIdSchema,
    /** Argument array; absent: the first of bash and sh that the container has. */
    command: z.array(z.string().max(4096)).min(1).max(256).optional(),
    user: execUserSchema.optional(),
    workdir: z.string().startsWith('/', 'The working directory is an absolute path.').max(4096).optional(),
  }),
  z.strictObject({ kind: z.literal('container-attach'), id: containerIdSchema }),
  z.strictObject({ kind: z.literal('vm-serial'), uri: connectionUriSchema, name: existingNameSchema }),
]);

export const terminalMethods = {
  /** Start a session at the view's size; its output arrives on `terminal.output`, which must follow within 30 s. */
  'terminal.open': method<TerminalSession>()(z.strictObject({ target: terminalTargetSchema, ...size })),
  /** Keystrokes and pasted text. */
  'terminal.input': method<void>()(z.strictObject({ id: sessionId, data: z.string().min(1).max(256 * 1024) })),
  'terminal.resize': method<void>()(z.strictObject({ id: sessionId, ...size })),
  /** The renderer has drawn `chars` more characters of this session's output (flow control). */
  'terminal.ack': method<void>()(z.strictObject({ id: sessionId, chars: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) })),
  /** End the session's process (or exec, attach, console connection). */
  'terminal.close': method<void>()(z.strictObject({ id: sessionId })),
  /** Bytes for the VM's display, on the `rpc` carrier of `terminal.vnc` (base64). */
  'terminal.vncInput': method<void>()(z.strictObject({ session: sessionId, data: z.base64().max(512 * 1024) })),
} as const satisfies Record<string, MethodSpec>;

export const terminalStreams = {
  /** A session's output, then its exit; unsubscribing (or the client going away) ends the session. */
  'terminal.output': stream<TerminalEvent>()(z.strictObject({ id: sessionId })),
  /**
   * The VNC console of a running VM: the backend connects only to the display libvirt reports for this domain.
   * The connection lives as long as the subscription.
   */
  'terminal.vnc': stream<VncEvent>()(
    z.strictObject({ uri: connectionUriSchema, name: existingNameSchema, carrier: z.enum(['websocket', 'rpc']) }),
  ),
} as const satisfies Record<string, StreamSpec>;
