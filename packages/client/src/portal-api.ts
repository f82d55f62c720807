// The Portal API calls this client makes (docs/api.md), typed from @streamgate/contract. The
// client also talks to the Quix Portal, which sends more fields and may send other statuses: the
// types keep only what the client reads, and the checks below stay that tolerant.
import type {
  LibrdkafkaConfig as ContractLibrdkafkaConfig,
  Topic as ContractTopic,
  TopicStatus as ContractTopicStatus,
  Workspace as ContractWorkspace,
} from '@streamgate/contract';
import { PortalRequestError } from './errors.ts';
import type { TopicConfiguration } from './options.ts';
import { type PortalHttp, portalError } from './portal-http.ts';

/** What the client reads of a workspace. */
export type Workspace = Pick<ContractWorkspace, 'workspaceId' | 'name'>;

/** Streamgate's topic statuses; another Portal may have more. */
export type TopicStatus = ContractTopicStatus | (string & {});

/** What the client reads of a topic: `id` is the Kafka topic name, `name` the display name. */
export type Topic = Pick<ContractTopic, 'id' | 'name' | 'workspaceId'> & {
  status: TopicStatus;
  lastError?: ContractTopic['lastError'];
};

/**
 * The flat librdkafka dictionary from `GET /workspaces/{ws}/broker/librdkafka`: Streamgate's
 * keys, any of which another Portal may leave out, and whatever other keys it sends.
 */
export type LibrdkafkaConfig = Partial<ContractLibrdkafkaConfig> & Record<string, string>;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function asTopic(value: unknown, url: string): Topic {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.status !== 'string') {
    throw unexpected(url, 'a topic');
  }
  return value as unknown as Topic;
}

function unexpected(url: string, what: string): PortalRequestError {
  return new PortalRequestError(
    { status: 200, method: 'GET', url, serverMessage: null, serverCode: null, correlationId: null },
    `The Portal answered something that is not ${what}: is Quix__Portal__Api the Portal API's URL?`,
  );
}

const enc = encodeURIComponent;

export class PortalApi {
  #http: PortalHttp;

  constructor(http: PortalHttp) {
    this.#http = http;
  }

  get baseUrl(): string {
    return this.#http.baseUrl;
  }

  async listWorkspaces(): Promise<Workspace[]> {
    const path = '/workspaces';
    const { body } = await this.#http.request('GET', path);
    if (!Array.isArray(body)) throw unexpected(this.#http.url(path), 'a list of workspaces');
    return body as Workspace[];
  }

  async getBrokerConfig(workspaceId: string): Promise<LibrdkafkaConfig> {
    const path = `/workspaces/${enc(workspaceId)}/broker/librdkafka`;
    const { body } = await this.#http.request('GET', path);
    if (!isObject(body)) throw unexpected(this.#http.url(path), 'a librdkafka configuration');
    const config: LibrdkafkaConfig = {};
    for (const [key, value] of Object.entries(body)) {
      if (value !== null && value !== undefined) config[key] = String(value);
    }
    return config;
  }

  /** The topic, or null when the Portal answers 404. */
  async getTopic(workspaceId: string, name: string): Promise<Topic | null> {
    const path = `/${enc(workspaceId)}/topics/${enc(name)}`;
    const response = await this.#http.request('GET', path, { accept: [404] });
    if (response.status === 404) return null;
    return asTopic(response.body, this.#http.url(path));
  }

  async listTopics(workspaceId: string): Promise<Topic[]> {
    const path = `/${enc(workspaceId)}/topics`;
    const { body } = await this.#http.request('GET', path);
    if (!Array.isArray(body)) throw unexpected(this.#http.url(path), 'a list of topics');
    return body.map((topic) => asTopic(topic, this.#http.url(path)));
  }

  /** Creates the topic; null when the Portal says it already exists (someone raced us). */
  async createTopic(
    workspaceId: string,
    name: string,
    configuration: TopicConfiguration,
  ): Promise<Topic | null> {
    const path = `/${enc(workspaceId)}/topics`;
    const response = await this.#http.request('POST', path, {
      body: { name, configuration },
      accept: [400, 409],
    });
    if (response.status === 400 || response.status === 409) {
      const message = isObject(response.body)
        ? String(response.body.message ?? '')
        : String(response.body ?? '');
      if (/already exists/i.test(message)) return null;
      throw portalError('POST', this.#http.url(path), response);
    }
    return asTopic(response.body, this.#http.url(path));
  }

  /**
   * The OAuth2 client-credentials grant at the broker config's token endpoint. The caller maps
   * statuses: 401 there means the token was rotated or revoked.
   */
  async requestBrokerToken(
    tokenEndpointUrl: string,
    clientId: string,
    clientSecret: string,
  ): Promise<{ status: number; body: unknown; headers: Headers }> {
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    return this.#http.request('POST', '', {
      absoluteUrl: tokenEndpointUrl,
      authorization: `Basic ${basic}`,
      form: { grant_type: 'client_credentials' },
      accept: [400, 401, 403],
    });
  }
}
