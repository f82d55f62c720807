import type { HealthStatus } from '@streamgate/contract';
import { can } from '../permissions/permissions.ts';
import type { Principal } from '../permissions/principal.ts';

export interface ReadinessCheck {
  name: string;
  /**
   * Throws when not ready; `critical: false` checks are reported but do not fail readiness.
   * `critical` is read after `check()` ran, so a check may be critical only until it first passed.
   */
  check(): Promise<string | undefined>;
  critical: boolean;
}

export interface Readiness {
  /** Runs every check; the details (error text) only for a caller who may read them. */
  report(caller: Principal | null): Promise<{ ready: boolean; status: HealthStatus }>;
}

export function createReadiness(checks: readonly ReadinessCheck[]): Readiness {
  return {
    async report(caller) {
      // Error text names hosts, users and versions: for an organisation Admin, not for anyone.
      const details = caller !== null && can(caller, 'operations.readDetails').allowed;
      const results: Record<string, { ok: boolean; detail?: string }> = {};
      let ready = true;
      for (const item of checks) {
        try {
          const detail = await item.check();
          results[item.name] = { ok: true, ...(detail && details ? { detail } : {}) };
        } catch (error) {
          const detail = error instanceof Error ? error.message : 'failed';
          results[item.name] = { ok: false, ...(details ? { detail } : {}) };
          if (item.critical) ready = false;
        }
      }
      return { ready, status: { status: ready ? 'ready' : 'not ready', checks: results } };
    },
  };
}
