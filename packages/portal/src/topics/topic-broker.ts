/**
 * What the topic service needs from Kafka; broker/ adapts the Kafka admin client to it. A failure
 * rejects with the portal's error for it (errors.ts), already translated where the portal meets
 * Kafka: BrokerUnavailableError (503, nothing changed), a 4xx when the request itself was
 * refused, BrokerRefusedError (502) when the broker refused the portal.
 */
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
