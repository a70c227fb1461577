import {
  ClusterCaller,
  ClusterDetails,
} from '@prometheus-ocs/plugin-monitoring-node';
import { createHash } from 'node:crypto';
import { callerKey } from './callerKey';

/**
 * Who may be served an answer read from a cluster (through its API server, its service proxy to
 * Prometheus/Alertmanager, or an upstream configured for it):
 *
 * - `shared`: every reader — the cluster sees Backstage's own identity, so the answer is the same
 *   whoever asked, and our permission checks (made before any read) are the only gate;
 * - `reader`: only requests of the same Backstage principal carrying the same cluster token — a
 *   user-delegated cluster answers each user by its own RBAC, so another user must be asked
 *   (and refused) by the cluster itself;
 * - `uncached`: nobody else, not even a later request of the same caller — the cluster is unknown
 *   right now, or a user-delegated cluster is read without a token or a known principal (the
 *   read fails on its own; nothing it might fetch is kept).
 */
export type ReadSharing =
  | { type: 'shared' }
  | { type: 'reader'; reader: string }
  | { type: 'uncached' };

/** How an answer read from `cluster` by `caller` may be shared (see {@link ReadSharing}). */
export function readSharing(
  cluster: ClusterDetails | undefined,
  caller: ClusterCaller | undefined,
): ReadSharing {
  if (!cluster) return { type: 'uncached' };
  if (!cluster.userDelegated) return { type: 'shared' };
  const token = caller?.clusterTokens?.[cluster.userDelegated.tokenKey];
  const principal = caller ? callerKey(caller.credentials) : '';
  if (!token || !principal) return { type: 'uncached' };
  // The token the cluster judged, not just the Backstage user: a refreshed or other token is
  // asked again. Only its hash goes into keys (which a shared store like Redis holds).
  const tokenHash = createHash('sha256').update(token).digest('base64url');
  return { type: 'reader', reader: `${principal}|${tokenHash}` };
}
