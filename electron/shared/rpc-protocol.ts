// The messages every transport carries between an RPC client and the server, and their limits.
// Pure TypeScript plus zod; no node:*, DOM or electron.
import { z } from 'zod';
import type { WireError } from './errors';

const requestId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const name = z.string().min(1).max(100);

/** What a client may send. The server parses every message with this schema before acting on it. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('call'), id: requestId, method: name, args: z.unknown() }),
  z.strictObject({ type: z.literal('subscribe'), id: requestId, topic: name, args: z.unknown() }),
  z.strictObject({ type: z.literal('unsubscribe'), id: requestId }),
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type ServerMessage =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: WireError }
  | { type: 'event'; id: number; data: unknown }
  /** The stream ended on the server's side: its source finished, or failed with `error`. */
  | { type: 'end'; id: number; error?: WireError };

/** The largest message a transport accepts from a client, in bytes of JSON. */
export const maxClientMessageBytes = 1024 * 1024;

/**
 * What the Electron preload exposes to the renderer as `window[bridgeName]`: the one RPC channel, nothing else.
 * Messages cross by structured clone.
 */
export interface PreloadBridge {
  send(message: ClientMessage): void;
  onMessage(listener: (message: ServerMessage) => void): void;
}

export const bridgeName = 'isolab';
