// Who leads the KRaft metadata quorum (the active controller), asked through any broker: brokers
// forward DescribeQuorum to the controllers. Metadata's controllerId cannot tell: in KRaft it
// names a random live broker, since clients never talk to controllers.
import { Admin, type Connection, kGetApi, kGetConnection, kMetadata } from '@platformatic/kafka';

export interface QuorumState {
  /** The node id of the active controller. */
  leaderId: number;
  leaderEpoch: number;
  highWatermark: bigint;
  voters: { nodeId: number; logEndOffset: bigint }[];
}

export interface QuorumQuery {
  bootstrap: string | readonly string[];
  /** A SCRAM-SHA-512 principal with DESCRIBE on the cluster (the portal's admin). */
  username: string;
  password: string;
}

interface DescribeQuorumResponse {
  topics: {
    partitions: {
      errorCode: number;
      leaderId: number;
      leaderEpoch: number;
      highWatermark: bigint;
      currentVoters: { replicaId: number; logEndOffset: bigint }[];
    }[];
  }[];
}

type Callback<T> = (error: Error | null | undefined, value?: T) => void;
type DescribeQuorum = (
  connection: Connection,
  topics: { topicName: string; partitions: { partitionIndex: number }[] }[],
  callback: Callback<DescribeQuorumResponse>,
) => void;

function call<T>(start: (callback: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    start((error, value) => (error ? reject(error) : resolve(value as T))),
  );
}

export async function describeMetadataQuorum(query: QuorumQuery): Promise<QuorumState> {
  const admin = new Admin({
    clientId: 'streamgate-quorum',
    bootstrapBrokers: typeof query.bootstrap === 'string' ? query.bootstrap.split(',') : [...query.bootstrap],
    sasl: { mechanism: 'SCRAM-SHA-512', username: query.username, password: query.password },
    connectTimeout: 3000,
    requestTimeout: 10_000,
  });
  try {
    const metadata = await call<Awaited<ReturnType<Admin['metadata']>>>((callback) =>
      admin[kMetadata]({ topics: [], forceUpdate: true }, callback),
    );
    let last: unknown = new Error('The cluster has no brokers.');
    // Any live broker forwards it; the first that answers decides.
    for (const broker of metadata.brokers.values()) {
      try {
        const connection = await call<Connection>((callback) => admin[kGetConnection](broker, callback));
        const api = await call<DescribeQuorum>((callback) =>
          admin[kGetApi]('DescribeQuorum', callback as never),
        );
        const response = await call<DescribeQuorumResponse>((callback) =>
          api(
            connection,
            [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }],
            callback,
          ),
        );
        const partition = response.topics[0]?.partitions[0];
        if (partition?.errorCode !== 0 || partition.leaderId < 0) {
          throw new Error(`DescribeQuorum: no leader (error code ${partition?.errorCode ?? 'none'}).`);
        }
        return {
          leaderId: partition.leaderId,
          leaderEpoch: partition.leaderEpoch,
          highWatermark: partition.highWatermark,
          voters: partition.currentVoters.map((voter) => ({
            nodeId: voter.replicaId,
            logEndOffset: voter.logEndOffset,
          })),
        };
      } catch (error) {
        last = error;
      }
    }
    throw last;
  } finally {
    await admin.close().catch(() => {});
  }
}
