// @platformatic/kafka clients authenticated as a streaming token (OAUTHBEARER with a JWT), each
// closed when the test that made it ends, pass or fail.
import type { TestContext } from 'node:test';
import {
  Admin,
  Consumer,
  Producer,
  saslOAuthBearer,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';

export function tokenClients(bootstrap: () => string) {
  const oauth = (jwt: string) => ({
    mechanism: 'OAUTHBEARER' as const,
    token: async () => jwt,
    // Without it the client takes Kafka's {"status":"invalid_token"} challenge for a success.
    authBytesValidator: saslOAuthBearer.jwtValidateAuthenticationBytes,
  });
  // Default retries: the first consumer group waits for __consumer_offsets to be created and loaded.
  const common = () => ({ bootstrapBrokers: [bootstrap()], connectTimeout: 3000 });

  return {
    producer(t: TestContext, jwt: string, extra: { idempotent?: boolean; transactionalId?: string } = {}) {
      const producer = new Producer({
        clientId: 'it-producer',
        sasl: oauth(jwt),
        serializers: stringSerializers,
        ...common(),
        ...extra,
      });
      t.after(() => producer.close(true).catch(() => {}));
      return producer;
    },

    consumer(t: TestContext, jwt: string, groupId: string) {
      const consumer = new Consumer({
        clientId: 'it-consumer',
        groupId,
        sasl: oauth(jwt),
        deserializers: stringDeserializers,
        maxWaitTime: 500,
        ...common(),
      });
      t.after(() => consumer.close(true).catch(() => {}));
      return consumer;
    },

    /** `retries: 0` for refusals: the client wraps a refused token in a retriable NetworkError. */
    admin(t: TestContext, jwt: string, retries?: number) {
      const admin = new Admin({
        clientId: 'it-token-admin',
        sasl: oauth(jwt),
        ...common(),
        ...(retries === undefined ? {} : { retries }),
      });
      t.after(() => admin.close().catch(() => {}));
      return admin;
    },
  };
}
