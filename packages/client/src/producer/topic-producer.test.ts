import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OutgoingMessage, SendQueue } from '../kafka/send-queue.ts';
import type { Topic } from '../portal-api.ts';
import { decodeQuixMessage, type Framing } from '../wire/quix-format.ts';
import { TopicProducer } from './topic-producer.ts';

const topic: Topic = { id: 'dev-cars', name: 'cars', workspaceId: 'dev', status: 'Ready' };

/** A topic producer over a queue that keeps what it is given instead of sending it to Kafka. */
function producerKeeping(framing?: Framing): { producer: TopicProducer; sent: OutgoingMessage[] } {
  const sent: OutgoingMessage[] = [];
  const queue = {
    enqueue: (message: OutgoingMessage) => {
      sent.push(message);
      return Promise.resolve();
    },
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
  } as unknown as SendQueue;
  const producer = new TopicProducer({
    topic,
    queue,
    assertUsable: () => {},
    onClose: () => {},
    ...(framing && { framing }),
  });
  return { producer, sent };
}

async function writeOneStream(producer: TopicProducer): Promise<void> {
  const stream = producer.createStream('car-1');
  stream.properties.name = 'Car 1';
  stream.timeseries.buffer
    .addTimestampNanoseconds(1700000000000000001n)
    .addValue('speed', 1.5)
    .addTag('lap', '1')
    .publish();
  stream.events.addTimestampNanoseconds(1700000000000000002n).addValue('pit', 'in').publish();
  await stream.close();
}

describe('TopicProducer framing', () => {
  it('frames every message of its streams headerless when asked, with no headers at all', async () => {
    const { producer, sent } = producerKeeping('headerless');
    assert.equal(producer.framing, 'headerless');
    await writeOneStream(producer);
    const kinds = sent.map((m) => {
      assert.equal(m.key, 'car-1');
      assert.deepEqual(m.headers, {});
      assert.ok(m.value.toString().startsWith('{"C":"JT","K":'));
      return (JSON.parse(m.value.toString()) as { K: string }).K;
    });
    assert.deepEqual(kinds.toSorted(), ['EventData[]', 'ParameterData', 'StreamEnd', 'StreamProperties']);
    const decoded = sent.map((m) => decodeQuixMessage(m.value, Object.entries(m.headers ?? {}))?.modelKey);
    assert.deepEqual(decoded.toSorted(), ['EventData[]', 'StreamEnd', 'StreamProperties', 'TimeseriesData']);
  });

  it('uses __Q_ headers by default', async () => {
    const { producer, sent } = producerKeeping();
    assert.equal(producer.framing, 'headers');
    await writeOneStream(producer);
    assert.deepEqual(sent.map((m) => m.headers?.__Q_ModelKey).toSorted(), [
      'EventData',
      'StreamEnd',
      'StreamProperties',
      'TimeseriesData',
    ]);
    for (const m of sent)
      assert.equal(m.value.toString()[0], m.headers?.__Q_ModelKey === 'EventData[]' ? '[' : '{');
  });
});
