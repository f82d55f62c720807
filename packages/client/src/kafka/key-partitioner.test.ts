import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyPartitionHash } from './key-partitioner.ts';

describe('keyPartitionHash: the partitions of Kafka Java clients and librdkafka murmur2', () => {
  // Utils.murmur2 of these keys, from Kafka's own tests (UtilsTest.testMurmur2).
  const javaMurmur2: Array<[string, number]> = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ];

  it("is Java's murmur2 with the sign bit cleared (Utils.toPositive)", () => {
    for (const [key, hash] of javaMurmur2)
      assert.equal(keyPartitionHash(Buffer.from(key)), hash & 0x7fffffff, key);
  });

  it('puts a key on the partition a Java client would for any partition count', () => {
    // '21' hashes negative: read as unsigned it lands elsewhere with 3 partitions.
    const key = Buffer.from('21');
    assert.equal(keyPartitionHash(key) % 3, (-973932308 & 0x7fffffff) % 3);
    assert.notEqual(keyPartitionHash(key) % 3, (-973932308 >>> 0) % 3);
  });
});
