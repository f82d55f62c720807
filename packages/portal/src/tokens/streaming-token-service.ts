import type { Actor, AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { randomId, sha256Hex } from '../crypto/hashing.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { ConflictError, InvalidTokenError, TokenRevokedError, workspaceNotFound } from '../errors.ts';
import { can } from '../permissions/permissions.ts';
import type { Principal, StreamingPrincipal } from '../permissions/principal.ts';
import type {
  RotationOutcome,
  StreamingTokenRecord,
  TokenStorage,
  TokenUsageRecord,
  TokenUsageStorage,
  WorkspaceRecord,
} from '../storage/storage.ts';
import { createPresentedTokenMemo } from './presented-token-memo.ts';
import { pairTag, planRotation } from './rotation.ts';
import { checkStreamingTokenShape, generateStreamingToken } from './streaming-token-format.ts';
import type { ClientInfo, UsageRecorder } from './usage-recorder.ts';

export interface StreamingTokenView {
  id: string;
  /** The last four characters: enough to tell which token a service has, nothing to guess from. */
  hint: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  lastUsedBy: ClientInfo | null;
  recentClients: (ClientInfo & { lastUsedAt: Date })[];
  value?: string;
}

export interface StreamingTokensView {
  workspaceId: string;
  etag: string;
  token1: StreamingTokenView;
  token2: StreamingTokenView;
  canViewValues: boolean;
  canRotate: boolean;
}

/** Who presented an active streaming token, and its workspace as read with the token. */
export interface StreamingAuthentication {
  principal: StreamingPrincipal;
  workspace: WorkspaceRecord;
}

export interface StreamingTokenService {
  /** A fresh pair for a new workspace (records to insert; the values are not returned). */
  newPair(workspaceId: string): [StreamingTokenRecord, StreamingTokenRecord];
  /**
   * The principal of an active streaming token. `connection` (the transport connection the
   * token came over: any object that lives as long as it) lets a keep-alive client's repeated
   * token skip the checksum and the hash; never the lookup.
   */
  authenticate(presented: string, client: ClientInfo, connection?: object): Promise<StreamingAuthentication>;
  /**
   * The pair and its usage; the values too (for roles that may see them, and audited) unless
   * `values: false`, which reads usage without revealing anything and so is not audited.
   */
  view(
    principal: Principal,
    workspaceId: string,
    address: string | null,
    options?: { values?: boolean },
  ): Promise<StreamingTokensView>;
  rotate(
    principal: Principal,
    workspaceId: string,
    /** The pair the caller saw (its ETag): a stale one rotates nothing. */
    expectedTag: string,
    address: string | null,
  ): Promise<StreamingTokensView>;
  /**
   * Rotates the pair if it is still `expected` (for a rotation run, which checked the caller's
   * If-Match when it started). 'stale': someone rotated first, nothing changed.
   */
  rotatePair(
    workspaceId: string,
    expected: { token1: { id: string }; token2: { id: string } },
    actor: Actor,
    details: Record<string, unknown>,
  ): Promise<RotationOutcome>;
  /** Called after the pair changed, so the broker's ACLs follow (the reconciler). */
  onRotated(listener: (workspaceId: string) => void): void;
}

const recentClientsShown = 10;

export function createStreamingTokenService(deps: {
  store: TokenStorage & TokenUsageStorage;
  box: SecretBox;
  clock: Clock;
  usage: UsageRecorder;
  audit: AuditLog;
}): StreamingTokenService {
  const { store, box, clock, usage, audit } = deps;
  const listeners: ((workspaceId: string) => void)[] = [];
  const memo = createPresentedTokenMemo();

  /** The SHA-256 of a well-formed token; a typo is refused here, before any lookup. */
  const hashOfPresented = (presented: string): string => {
    const shape = checkStreamingTokenShape(presented);
    if (shape === 'bad-checksum')
      throw new InvalidTokenError(
        'Invalid streaming token: the checksum does not match (a typo or a truncated copy?).',
      );
    if (shape !== 'valid')
      throw new InvalidTokenError('Invalid streaming token: it is not in the sgs_ format.');
    return sha256Hex(presented);
  };

  const mint = (workspaceId: string, slot: 1 | 2): StreamingTokenRecord => {
    const value = generateStreamingToken();
    const id = `st-${randomId()}`;
    return {
      id,
      workspaceId,
      slot,
      tokenHash: sha256Hex(value),
      // The associated data ties the ciphertext to its token id and workspace.
      sealedValue: box.seal(value, `streaming-token:${workspaceId}:${id}`),
      createdAt: clock.now(),
      deactivatedAt: null,
    };
  };

  const toView = (
    token: StreamingTokenRecord,
    uses: TokenUsageRecord[],
    withValue: boolean,
  ): StreamingTokenView => {
    const mine = uses.filter((use) => use.tokenId === token.id);
    const latest = mine[0];
    const client = (use: TokenUsageRecord): ClientInfo => ({
      userAgent: use.userAgent,
      address: use.address,
      deploymentId: use.deploymentId,
    });
    const value = box.open(token.sealedValue, `streaming-token:${token.workspaceId}:${token.id}`);
    return {
      id: token.id,
      hint: value.slice(-4),
      createdAt: token.createdAt,
      lastUsedAt: latest?.lastUsedAt ?? null,
      lastUsedBy: latest ? client(latest) : null,
      recentClients: mine
        .slice(0, recentClientsShown)
        .map((use) => ({ ...client(use), lastUsedAt: use.lastUsedAt })),
      ...(withValue ? { value } : {}),
    };
  };

  const view = async (
    principal: Principal,
    workspaceId: string,
    address: string | null,
    wantValues: boolean,
  ) => {
    const pair = await store.activeTokenPair(workspaceId);
    if (!pair) throw workspaceNotFound(workspaceId);
    await usage.flush(); // this instance's own recent uses, so the admin sees them now
    const uses = await store.tokenUsage([pair.token1.id, pair.token2.id]);
    const canViewValues = can(principal, 'streamingTokens.viewValues', workspaceId).allowed;
    const showValues = canViewValues && wantValues;
    if (showValues) {
      await audit.record({
        actor: { kind: 'principal', principal },
        action: 'streaming_tokens.view',
        workspaceId,
        target: `${pair.token1.id},${pair.token2.id}`,
        address,
      });
    }
    return {
      workspaceId,
      etag: pairTag(pair),
      token1: toView(pair.token1, uses, showValues),
      token2: toView(pair.token2, uses, showValues),
      canViewValues,
      canRotate: can(principal, 'streamingTokens.rotate', workspaceId).allowed,
    };
  };

  /** The compare-and-swap on the pair, with its audit entry in the same transaction. */
  const rotatePair = async (
    workspaceId: string,
    expected: { token1: { id: string }; token2: { id: string } },
    actor: Actor,
    address: string | null,
    details: Record<string, unknown>,
  ): Promise<RotationOutcome> => {
    const plan = planRotation(expected, mint(workspaceId, 2), clock.now());
    const outcome = await store.rotateTokens({
      workspaceId,
      rotation: plan,
      audit: audit.entry({
        actor,
        action: 'streaming_tokens.rotate',
        workspaceId,
        target: plan.deactivate.id,
        details: {
          deactivated: plan.deactivate.id,
          promoted: plan.promote.id,
          created: plan.create.id,
          ...details,
        },
        address,
      }),
    });
    if (outcome === 'rotated') for (const listener of listeners) listener(workspaceId);
    return outcome;
  };

  return {
    newPair: (workspaceId) => [mint(workspaceId, 1), mint(workspaceId, 2)],

    async authenticate(presented, client, connection) {
      const remembered = connection === undefined ? undefined : memo.hashOf(connection, presented);
      const hash = remembered ?? hashOfPresented(presented);
      // The row is looked up by the hash itself, so a found row matches: comparing the two
      // again (two more SHA-256s per request) would add cost on the hot path and no safety.
      // Its workspace comes in the same read (one round trip on PostgreSQL, where nothing is cached).
      const found = await store.findTokenWithWorkspace(hash);
      if (!found || found.token.slot === null) {
        if (connection !== undefined) memo.forget(connection);
        if (!found) throw new InvalidTokenError('Unknown streaming token.');
        const { token } = found;
        throw new TokenRevokedError(
          `This streaming token was deactivated by a rotation${token.deactivatedAt ? ` at ${token.deactivatedAt.toISOString()}` : ''}; use the workspace's current Token 1 or Token 2.`,
        );
      }
      const { token, workspace } = found;
      if (connection !== undefined && remembered === undefined) memo.remember(connection, presented, hash);
      usage.record(token.id, client);
      return {
        principal: { kind: 'streaming', workspaceId: token.workspaceId, tokenId: token.id },
        workspace,
      };
    },

    view: (principal, workspaceId, address, options) =>
      view(principal, workspaceId, address, options?.values ?? true),

    async rotate(principal, workspaceId, expected, address) {
      const current = await store.activeTokenPair(workspaceId);
      if (!current) throw workspaceNotFound(workspaceId);
      if (pairTag(current) !== expected) throw staleRotation();
      const outcome = await rotatePair(workspaceId, current, { kind: 'principal', principal }, address, {});
      if (outcome === 'stale') throw staleRotation();
      return view(principal, workspaceId, address, true);
    },

    rotatePair(workspaceId, expected, actor, details) {
      return rotatePair(workspaceId, expected, actor, null, details);
    },

    onRotated(listener) {
      listeners.push(listener);
    },
  };
}

function staleRotation(): ConflictError {
  return new ConflictError(
    'The token pair changed since you read it (someone rotated first); nothing was rotated. Reload the tokens and decide again.',
  );
}
