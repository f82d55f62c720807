/** What the topic service needs from Kafka; broker/ adapts the Kafka admin client to it. */
export interface TopicBroker {
  /** Resolves when the topic exists (also when it already did). */
  createTopic(input: {
    name: string;
    partitions: number;
    replicationFactor: number;
    configs: Record<string, string>;
  }): Promise<void>;
  /** Resolves when the topic is gone (also when it already was). */
  deleteTopic(name: string): Promise<void>;
}

/** The broker cannot be reached: the caller answers 503 and changes nothing. */
export class TopicBrokerUnavailableError extends Error {}

/** The broker refused the request (e.g. a replication factor above the broker count). */
export class TopicRejectedError extends Error {}
