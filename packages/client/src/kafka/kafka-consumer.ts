// The @platformatic/kafka consumer a consume loop drives, behind the few calls the loop makes, so
// that the loop's failure handling can be tested against a consumer that misbehaves on purpose.
import type { EventEmitter } from 'node:events';
import {
  type CommitOptionsPartition,
  type ConsumeOptions,
  Consumer,
  type Message,
  type MessagesStream,
} from '@platformatic/kafka';
import { type KafkaConnectionOptions, listenToConnectionErrors } from './connection.ts';

export type KafkaMessage = Message<Buffer, Buffer, string, Buffer>;
export type KafkaMessagesStream = MessagesStream<Buffer, Buffer, string, Buffer>;

/** What a consume loop needs of a Kafka group consumer. */
export interface GroupConsumer extends Pick<EventEmitter, 'on'> {
  consume(options: ConsumeOptions<Buffer, Buffer, string, Buffer>): Promise<KafkaMessagesStream>;
  commit(options: { offsets: CommitOptionsPartition[] }): Promise<void>;
  /** Leaves the group (`force`: closing its streams first), then closes the connections. */
  close(force: boolean): Promise<void>;
  /** In the group with a running heartbeat (false while it (re)joins). */
  isActive(): boolean;
  /** Null until it first joins its group. */
  readonly memberId: string | null;
  /** (Re)joins the group with the topics it tracks. */
  joinGroup(): Promise<string>;
}

export interface GroupConsumerFactory {
  create(groupId: string): GroupConsumer;
  /** Closes the connections without leaving the group (when leaving failed or hung). */
  forceClose(consumer: GroupConsumer): Promise<void>;
}

export function platformaticConsumers(connection: KafkaConnectionOptions): GroupConsumerFactory {
  return {
    create: (groupId) => {
      const consumer = new Consumer<Buffer, Buffer, string, Buffer>({
        ...connection,
        groupId,
        autocommit: false,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
        maxWaitTime: 500,
        // At most 1 MiB a fetch (librdkafka's per-partition default) instead of the library's 50 MB:
        // it parses a response by searching its chunks from the first for every read, so a record
        // costs more the larger the response (0.36 µs a record from one buffer, 2.57 µs from 64 KiB
        // chunks at 16 MB: bench/client-codec.ts). A batch larger than this still comes whole
        // (Kafka returns the first batch of a fetch whatever its size).
        maxBytes: 1_048_576,
        deserializers: {
          key: (k?: Buffer) => k,
          value: (v?: Buffer) => v,
          headerKey: (k?: Buffer) => k?.toString('utf8'),
          headerValue: (v?: Buffer) => v,
        },
      });
      listenToConnectionErrors(consumer);
      return consumer as GroupConsumer;
    },
    forceClose: (consumer) => {
      // Consumer.close() resets itself to "open" when the group leave fails, with its connections
      // still up. The base client's close() marks it closed and drops every connection, with no
      // group request on the way.
      const baseClose = (Object.getPrototypeOf(Consumer.prototype) as { close: () => Promise<void> }).close;
      return baseClose.call(consumer);
    },
  };
}
