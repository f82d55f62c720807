import { murmur2 } from '@platformatic/kafka';

/**
 * The partition hash of a message key (the Kafka client takes it modulo the partition count), as
 * Kafka's Java client and librdkafka's `murmur2` partitioner compute it: murmur2 with its sign bit
 * cleared. quixstreams sets that partitioner, so a stream key lands on the same partition whichever
 * language wrote it, and per-stream order holds across them. (@platformatic/kafka's default reads
 * the hash as unsigned instead, which differs for half the keys unless the partition count is a
 * power of two.)
 */
export function keyPartitionHash(key: Buffer): number {
  return murmur2(key) & 0x7fffffff;
}
