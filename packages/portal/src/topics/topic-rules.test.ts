import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  kafkaTopicConfigs,
  kafkaTopicName,
  maxKafkaTopicLength,
  normaliseKeys,
  resolveConfiguration,
  topicDefaults,
  topicNameProblem,
} from './topic-rules.ts';

/** Limits that refuse nothing the Kafka-side rules allow (-1: no retention ceiling). */
const open = {
  partitionsPerTopic: 1000,
  retentionMinutes: -1,
  retentionBytes: -1,
};

describe('resolveConfiguration', () => {
  const defaults = {
    partitions: topicDefaults.partitions,
    replicationFactor: 3,
    retentionInMinutes: 10080,
    retentionInBytes: 52428800,
    cleanupPolicy: 'Delete',
  };

  it('fills nulls, absences and a missing configuration with the defaults', () => {
    const allNull = {
      partitions: null,
      replicationFactor: null,
      retentionInMinutes: null,
      retentionInBytes: null,
      cleanupPolicy: null,
    };
    for (const input of [allNull, {}, null, undefined]) {
      assert.deepEqual(resolveConfiguration(input, 3, open), { ok: true, configuration: defaults });
    }
  });

  it('keeps given values and mixes them with defaults', () => {
    assert.deepEqual(
      resolveConfiguration({ partitions: 6, retentionInBytes: -1, cleanupPolicy: null }, 1, open),
      {
        ok: true,
        configuration: { ...defaults, replicationFactor: 1, partitions: 6, retentionInBytes: -1 },
      },
    );
  });

  it('matches cleanup policies case-insensitively and returns the canonical spelling', () => {
    for (const [given, canonical] of [
      ['delete', 'Delete'],
      ['DELETE', 'Delete'],
      ['compact', 'Compact'],
      ['deleteandcompact', 'DeleteAndCompact'],
      ['DeleteAndCompact', 'DeleteAndCompact'],
    ] as const) {
      const result = resolveConfiguration({ cleanupPolicy: given }, 1, open);
      assert.ok(result.ok, given);
      assert.equal(result.configuration.cleanupPolicy, canonical);
    }
  });

  it('refuses out-of-range values with a message naming the field', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ partitions: 0 }, /partitions/],
      [{ partitions: 1001 }, /partitions/],
      [{ partitions: 1.5 }, /partitions/],
      [{ replicationFactor: 0 }, /replicationFactor/],
      [{ replicationFactor: 11 }, /replicationFactor/],
      [{ retentionInMinutes: 0 }, /retentionInMinutes/],
      [{ retentionInMinutes: -2 }, /retentionInMinutes/],
      [{ retentionInBytes: 0 }, /retentionInBytes/],
      [{ cleanupPolicy: 'delete,compact' }, /cleanupPolicy must be one of Delete, Compact, DeleteAndCompact/],
      [{ cleanupPolicy: '' }, /cleanupPolicy/],
    ];
    for (const [input, message] of cases) {
      const result = resolveConfiguration(input, 1, open);
      assert.equal(result.ok, false, JSON.stringify(input));
      if (!result.ok) assert.match(result.problem, message);
    }
    assert.ok(
      resolveConfiguration({ retentionInMinutes: -1, retentionInBytes: -1 }, 1, open).ok,
      '-1 = unlimited',
    );
  });

  it("refuses what exceeds the portal's limits, naming the limit and its variable", () => {
    const limits = { partitionsPerTopic: 12, retentionMinutes: 43_200, retentionBytes: 1_000_000 };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ partitions: 13 }, /partitions: at most 12 .*STREAMGATE_TOPIC_MAX_PARTITIONS/],
      [
        { retentionInMinutes: 43_201 },
        /retentionInMinutes: at most 43200.*STREAMGATE_TOPIC_MAX_RETENTION_MINUTES/,
      ],
      [{ retentionInMinutes: -1 }, /not unlimited/],
      [{ retentionInBytes: 1_000_001, retentionInMinutes: 60 }, /retentionInBytes: at most 1000000/],
      [{ retentionInBytes: -1 }, /STREAMGATE_TOPIC_MAX_RETENTION_BYTES/],
    ];
    for (const [input, message] of cases) {
      const result = resolveConfiguration(input, 1, {
        ...limits,
        retentionBytes: input.retentionInBytes === -1 ? 10 ** 9 : limits.retentionBytes,
      });
      assert.equal(result.ok, false, JSON.stringify(input));
      if (!result.ok) assert.match(result.problem, message);
    }
    const atLimit = resolveConfiguration(
      { partitions: 12, retentionInMinutes: 43_200, retentionInBytes: 1_000_000 },
      1,
      limits,
    );
    assert.ok(atLimit.ok);
  });
});

describe('kafkaTopicConfigs', () => {
  it('turns a configuration into Kafka topic configs', () => {
    const base = { partitions: 1, replicationFactor: 1, retentionInBytes: 1024 };
    assert.deepEqual(
      kafkaTopicConfigs({ ...base, retentionInMinutes: 60, cleanupPolicy: 'DeleteAndCompact' }),
      {
        'cleanup.policy': 'compact,delete',
        'retention.ms': '3600000',
        'retention.bytes': '1024',
      },
    );
    assert.equal(
      kafkaTopicConfigs({ ...base, retentionInMinutes: -1, cleanupPolicy: 'Compact' })['retention.ms'],
      '-1',
    );
  });
});

describe('normaliseKeys', () => {
  it('accepts PascalCase keys (C# clients) at both levels', () => {
    assert.deepEqual(
      normaliseKeys({ Name: 'orders', Configuration: { Partitions: 2, CleanupPolicy: 'compact' } }),
      { name: 'orders', configuration: { partitions: 2, cleanupPolicy: 'compact' } },
    );
    assert.deepEqual(normaliseKeys({ name: 'orders' }), { name: 'orders' });
  });

  it('leaves non-objects alone, so validation still sees them', () => {
    for (const value of [null, 'x', 3, [1, 2]]) assert.deepEqual(normaliseKeys(value), value);
    assert.deepEqual(normaliseKeys({ Configuration: null }), { configuration: null });
  });
});

describe('topic names', () => {
  it('are {workspaceId}-{name} in Kafka', () => {
    assert.equal(kafkaTopicName('acme-dev', 'orders'), 'acme-dev-orders');
  });

  it('count the workspace prefix towards the 249-character limit', () => {
    assert.equal(maxKafkaTopicLength, 249);
    const ws = 'acme'; // 'acme-' is 5 characters
    assert.equal(topicNameProblem(ws, 'x'.repeat(244)), null);
    assert.match(topicNameProblem(ws, 'x'.repeat(245)) ?? '', /250 characters; at most 249/);
    const longWs = 'w'.repeat(64);
    assert.equal(topicNameProblem(longWs, 'x'.repeat(249 - 65)), null);
    assert.notEqual(topicNameProblem(longWs, 'x'.repeat(249 - 64)), null);
  });

  it('refuses empty, dot names and characters Kafka does not allow', () => {
    for (const name of ['', '.', '..', 'a b', 'a/b', 'ä', 'a:b', 'a\nb']) {
      assert.notEqual(topicNameProblem('acme', name), null, JSON.stringify(name));
    }
    for (const name of ['orders', 'a.b', 'a_b', 'a-b', 'A9', '...']) {
      assert.equal(topicNameProblem('acme', name), null, name);
    }
  });
});
