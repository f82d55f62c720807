// The one translation of Kafka's failures, fed with @platformatic/kafka's own error classes built
// the way its Admin builds them (the trees below were observed against Kafka 4.x: see
// kafka-errors.integration.test.ts for the same causes provoked at a real broker).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AuthenticationError,
  MultipleErrors,
  NetworkError,
  protocolAPIsById,
  protocolErrors,
  ResponseError,
  TimeoutError,
  UserError,
} from '@platformatic/kafka';
import { BadRequestError, BrokerRefusedError, BrokerUnavailableError, PortalError } from '../errors.ts';
import { httpStatusByCode } from '../http/error-handler.ts';
import {
  KafkaGroupNotEmptyError,
  KafkaGroupNotFoundError,
  KafkaInvalidTopicError,
  KafkaRefusedError,
  KafkaTopicExistsError,
  KafkaTopicNotFoundError,
  KafkaUnavailableError,
  translateKafkaError,
} from './kafka-errors.ts';

/** Kafka's numeric error code for an error id, from the library's table. */
function kafkaCode(id: string): number {
  const entry = protocolErrors[id];
  if (!entry) throw new TypeError(`No Kafka error ${id}`);
  return entry.code;
}
const apiKey = (name: string) =>
  Number(Object.entries(protocolAPIsById).find(([, api]) => api === name)?.[0] ?? Number.NaN);

/** A broker's answer with an error code, as the Admin wraps it: "<operation> failed." > ResponseError > ProtocolError. */
function answered(api: 'CreateTopics' | 'DeleteTopics' | 'DeleteGroups', id: string, detail?: string) {
  const response = new ResponseError(apiKey(api), 7, { '/topics/0': [kafkaCode(id), detail ?? null] }, {});
  const operation = {
    CreateTopics: 'Creating topics',
    DeleteTopics: 'Deleting topics',
    DeleteGroups: 'Deleting groups',
  };
  return new MultipleErrors(`${operation[api]} failed.`, [response]);
}

/** A retried call: "<api> failed 2 times." holding each attempt's error. */
function retried(api: string, ...attempts: Error[]) {
  return new MultipleErrors('Operation failed.', [
    new MultipleErrors(`${api} failed ${attempts.length} times.`, attempts),
  ]);
}

function unreachable() {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  const attempt = () =>
    new MultipleErrors('Cannot connect to any broker.', [
      new NetworkError('Connection to 127.0.0.1:1 failed.', { cause: refused }),
    ]);
  return new MultipleErrors('Listing topics failed.', [
    new MultipleErrors('metadata failed 2 times.', [attempt(), attempt()]),
  ]);
}

function wrongPassword() {
  const sasl = new ResponseError(
    apiKey('SaslAuthenticate'),
    2,
    {
      '': [kafkaCode('SASL_AUTHENTICATION_FAILED'), 'Authentication failed due to invalid credentials'],
    },
    {},
  );
  return new MultipleErrors('Creating topics failed.', [
    new MultipleErrors('Cannot connect to any broker.', [
      new NetworkError('Connection to 127.0.0.1:9092 failed.', {
        cause: new AuthenticationError('SASL authentication failed.', { cause: sasl }),
      }),
    ]),
  ]);
}

const statusOf = (error: Error) => (error instanceof PortalError ? httpStatusByCode[error.code] : 500);

describe('translateKafkaError', () => {
  test('the same cause is the same status whether Kafka said it to a create or a delete', () => {
    for (const [id, status] of [
      ['TOPIC_AUTHORIZATION_FAILED', 502],
      ['CLUSTER_AUTHORIZATION_FAILED', 502],
      ['UNKNOWN_SERVER_ERROR', 502],
      ['POLICY_VIOLATION', 400],
      ['NOT_CONTROLLER', 503],
      ['LEADER_NOT_AVAILABLE', 503],
    ] as const) {
      const onCreate = translateKafkaError(answered('CreateTopics', id), { topic: 'ws1-a' });
      const onDelete = translateKafkaError(answered('DeleteTopics', id), { topic: 'ws1-a' });
      assert.equal(statusOf(onCreate), status, id);
      assert.equal(statusOf(onDelete), status, id);
      assert.equal(onCreate.constructor, onDelete.constructor, id);
    }
  });

  test('unreachable, timed out or not ready: 503 PORTAL_BROKER_UNAVAILABLE, retry later', () => {
    const down = translateKafkaError(unreachable());
    assert.ok(down instanceof KafkaUnavailableError);
    assert.ok(down instanceof BrokerUnavailableError);
    assert.equal(down.reason, 'unreachable');
    assert.equal(down.code, 'PORTAL_BROKER_UNAVAILABLE');
    assert.equal(statusOf(down), 503);
    assert.match(down.message, /nothing was changed\. Try again shortly/);

    const slow = translateKafkaError(retried('createTopics', new TimeoutError('Request timed out.')));
    assert.ok(slow instanceof KafkaUnavailableError);
    assert.equal(statusOf(slow), 503);

    const starting = translateKafkaError(answered('CreateTopics', 'NOT_CONTROLLER'));
    assert.ok(starting instanceof KafkaUnavailableError);
    assert.equal(starting.reason, 'not-ready');
  });

  test("the caller's request refused: 400, 404 or 409 with Kafka's reason", () => {
    const replication = translateKafkaError(
      answered(
        'CreateTopics',
        'INVALID_REPLICATION_FACTOR',
        'Unable to replicate the partition 3 time(s): only 1 broker(s) are registered.',
      ),
      { topic: 'ws1-a' },
    );
    assert.ok(replication instanceof KafkaInvalidTopicError);
    assert.ok(replication instanceof BadRequestError);
    assert.equal(replication.kafkaCode, 'INVALID_REPLICATION_FACTOR');
    assert.equal(statusOf(replication), 400);
    assert.match(replication.message, /^Kafka refused topic ws1-a: Unable to replicate the partition 3 time/);

    const config = translateKafkaError(
      answered('CreateTopics', 'INVALID_CONFIG', 'Invalid value abc for configuration retention.ms'),
      { topic: 'ws1-a' },
    );
    assert.equal(statusOf(config), 400);
    assert.match(config.message, /retention\.ms/);

    const exists = translateKafkaError(answered('CreateTopics', 'TOPIC_ALREADY_EXISTS'), { topic: 'ws1-a' });
    assert.ok(exists instanceof KafkaTopicExistsError);
    assert.equal(statusOf(exists), 409);

    // DeleteTopics retries UNKNOWN_TOPIC_OR_PARTITION (the library marks it retryable).
    const missing = translateKafkaError(
      retried(
        'deleteTopics',
        answered('DeleteTopics', 'UNKNOWN_TOPIC_OR_PARTITION').errors[0] as Error,
        answered('DeleteTopics', 'UNKNOWN_TOPIC_OR_PARTITION').errors[0] as Error,
      ),
      { topic: 'ws1-a' },
    );
    assert.ok(missing instanceof KafkaTopicNotFoundError);
    assert.equal(statusOf(missing), 404);
    assert.ok(translateKafkaError(new UserError('Unknown topic ws1-a.')) instanceof KafkaTopicNotFoundError);

    assert.ok(
      translateKafkaError(answered('DeleteGroups', 'NON_EMPTY_GROUP')) instanceof KafkaGroupNotEmptyError,
    );
    assert.ok(
      translateKafkaError(answered('DeleteGroups', 'GROUP_ID_NOT_FOUND')) instanceof KafkaGroupNotFoundError,
    );
  });

  test("a refusal that is not the caller's: 502 PORTAL_BROKER_REFUSED, the cause kept for the log", () => {
    const cause = answered('DeleteTopics', 'TOPIC_AUTHORIZATION_FAILED', 'Topic authorization failed.');
    const unauthorized = translateKafkaError(cause);
    assert.ok(unauthorized instanceof KafkaRefusedError);
    assert.ok(unauthorized instanceof BrokerRefusedError);
    assert.equal(unauthorized.reason, 'authorization');
    assert.equal(unauthorized.kafkaCode, 'TOPIC_AUTHORIZATION_FAILED');
    assert.equal(unauthorized.code, 'PORTAL_BROKER_REFUSED');
    assert.equal(statusOf(unauthorized), 502);
    assert.equal(unauthorized.cause, cause);
    assert.match(unauthorized.message, /admin principal .*lacks a permission/);

    // A first attempt lost to a dropped connection does not hide the broker's definite answer.
    const afterRetry = translateKafkaError(
      retried(
        'createTopics',
        new NetworkError('Connection closed'),
        answered('CreateTopics', 'TOPIC_AUTHORIZATION_FAILED').errors[0] as Error,
      ),
    );
    assert.ok(afterRetry instanceof KafkaRefusedError);

    const credentials = translateKafkaError(wrongPassword());
    assert.ok(credentials instanceof KafkaRefusedError);
    assert.equal(credentials.reason, 'authentication');
    assert.equal(statusOf(credentials), 502);
    assert.doesNotMatch(credentials.message, /invalid credentials/, "the broker's wording stays in the log");

    const disabled = translateKafkaError(answered('DeleteTopics', 'TOPIC_DELETION_DISABLED'));
    assert.ok(disabled instanceof KafkaRefusedError);
    assert.equal(disabled.kafkaCode, 'TOPIC_DELETION_DISABLED');
  });

  test('an error that did not come from Kafka is left alone (a 500)', () => {
    const bug = new TypeError('x is not a function');
    assert.equal(translateKafkaError(bug), bug);
    assert.equal(statusOf(bug), 500);
  });
});
