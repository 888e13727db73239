// How an RPC contract is declared: each request method and stream topic with its argument schema (zod)
// and its result or event type. Pure TypeScript plus zod; no node:*, DOM or electron.
import type { z } from 'zod';

declare const resultType: unique symbol;
declare const eventType: unique symbol;

export interface MethodSpec<Args extends z.ZodType = z.ZodType, Result = unknown> {
  readonly kind: 'method';
  readonly args: Args;
  /** Type-only: the result the handler returns. */
  readonly [resultType]?: Result;
}

export interface StreamSpec<Args extends z.ZodType = z.ZodType, Event = unknown> {
  readonly kind: 'stream';
  readonly args: Args;
  /** Type-only: what each event carries. */
  readonly [eventType]?: Event;
}

export interface Contract {
  readonly methods: Readonly<Record<string, MethodSpec>>;
  readonly streams: Readonly<Record<string, StreamSpec>>;
}

/** `method<Result>()(argsSchema)`: the schema is required, so a method without one does not compile. */
export function method<Result>() {
  return <Args extends z.ZodType>(args: Args): MethodSpec<Args, Result> => ({ kind: 'method', args });
}

/** `stream<Event>()(argsSchema)`: a topic the client subscribes to with its own subscription id. */
export function stream<Event>() {
  return <Args extends z.ZodType>(args: Args): StreamSpec<Args, Event> => ({ kind: 'stream', args });
}

export type MethodName<C extends Contract> = Extract<keyof C['methods'], string>;
export type TopicName<C extends Contract> = Extract<keyof C['streams'], string>;

/** What a caller passes (before schema defaults apply). */
export type MethodArgs<C extends Contract, M extends MethodName<C>> = z.input<C['methods'][M]['args']>;
/** What a handler receives (after the schema has parsed it). */
export type ParsedMethodArgs<C extends Contract, M extends MethodName<C>> = z.output<C['methods'][M]['args']>;
export type MethodResult<C extends Contract, M extends MethodName<C>> =
  C['methods'][M] extends MethodSpec<z.ZodType, infer R> ? R : never;

export type TopicArgs<C extends Contract, T extends TopicName<C>> = z.input<C['streams'][T]['args']>;
export type ParsedTopicArgs<C extends Contract, T extends TopicName<C>> = z.output<C['streams'][T]['args']>;
export type TopicEvent<C extends Contract, T extends TopicName<C>> =
  C['streams'][T] extends StreamSpec<z.ZodType, infer E> ? E : never;
