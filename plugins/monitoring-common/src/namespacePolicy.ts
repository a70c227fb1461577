import type { RenderOptions } from './contract';

/**
 * Why prometheus-ocs may not act in `namespace` of `cluster`, or `undefined` when it may.
 * Deny by default: the cluster must be listed under `monitoring.clusters` and the namespace in its
 * `allowedNamespaces`.
 *
 * @public
 */
export function getNamespaceDenialReason(
  options: Pick<RenderOptions, 'clusters'>,
  cluster: string,
  namespace: string,
): string | undefined {
  const policy = options.clusters.find(c => c.name === cluster);
  if (!policy) {
    return `Cluster "${cluster}" is not listed under monitoring.clusters, so prometheus-ocs may not act there`;
  }
  if (!policy.allowedNamespaces.includes(namespace)) {
    // Names the caller's namespace only: the allowed list would tell any signed-in user which
    // namespaces (teams, environments) exist.
    return `Namespace "${namespace}" is not allowed for cluster "${cluster}": monitoring may only be enabled in namespaces the platform configuration allows`;
  }
  return undefined;
}

/**
 * Whether configuration allows prometheus-ocs to act in `namespace` of `cluster`.
 *
 * @public
 */
export function isNamespaceAllowed(
  options: Pick<RenderOptions, 'clusters'>,
  cluster: string,
  namespace: string,
): boolean {
  return getNamespaceDenialReason(options, cluster, namespace) === undefined;
}
