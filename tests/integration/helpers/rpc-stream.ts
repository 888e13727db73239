// Runs one RPC stream to its end and keeps what it sent: the events, and the error when it failed.
// Test-only; imports only the shared contract types.
import type { Api } from '@shared/api';
import type { TopicArgs, TopicEvent, TopicName } from '@shared/contract';
import type { AppError } from '@shared/errors';
import type { RpcClient } from '@shared/rpc-client';

export interface StreamOutcome<Event> {
  events: Event[];
  error?: AppError;
}

export function streamToEnd<T extends TopicName<Api>>(client: RpcClient<Api>, topic: T, args: TopicArgs<Api, T>): Promise<StreamOutcome<TopicEvent<Api, T>>> {
  return new Promise((resolve) => {
    const events: TopicEvent<Api, T>[] = [];
    client.subscribe(topic, args, {
      next: (event) => events.push(event),
      error: (error) => resolve({ events, error }),
      end: () => resolve({ events }),
    });
  });
}
