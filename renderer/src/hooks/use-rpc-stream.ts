// A stream topic as a React subscription: subscribed while the component is shown (and enabled), with the
// latest arguments; unsubscribing tells the backend to stop the source. Never imports node:*, electron or backend code.
import { useEffect, useRef } from 'react';
import type { Api } from '@shared/api';
import type { TopicArgs, TopicEvent, TopicName } from '@shared/contract';
import { rpc } from '../api';

export interface StreamHandlers<Event> {
  onEvent(event: Event): void;
  onError?(error: unknown): void;
  onEnd?(): void;
}

/**
 * Resubscribes when `args` change (compared as JSON). The handlers may change on every render; the
 * latest ones are called without resubscribing.
 */
export function useRpcStream<T extends TopicName<Api>>(
  topic: T,
  args: TopicArgs<Api, T>,
  handlers: StreamHandlers<TopicEvent<Api, T>>,
  enabled = true,
): void {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  const key = JSON.stringify(args);
  useEffect(() => {
    if (!enabled) return undefined;
    const subscription = rpc.subscribe(topic, JSON.parse(key) as TopicArgs<Api, T>, {
      next: (event) => latest.current.onEvent(event),
      error: (error) => latest.current.onError?.(error),
      end: () => latest.current.onEnd?.(),
    });
    return () => subscription.unsubscribe();
  }, [topic, key, enabled]);
}
