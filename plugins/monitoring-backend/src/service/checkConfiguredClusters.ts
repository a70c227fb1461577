import { LifecycleService, LoggerService } from '@backstage/backend-plugin-api';
import { ClusterResolver } from '@prometheus-ocs/plugin-monitoring-node';

/**
 * Logs the clusters named in `monitoring.clusters` that no cluster supplier knows, once the
 * backend has started. The Kubernetes plugin answers only once every plugin is up, and clusters
 * registered in the catalog appear once the catalog has processed them: ask again a minute later
 * before calling a cluster unknown.
 */
export function checkConfiguredClusters(
  clusters: ClusterResolver,
  logger: LoggerService,
  lifecycle: LifecycleService | undefined,
): void {
  const check = (retry: boolean) =>
    clusters.unknownConfiguredClusters().then(
      problems => {
        if (problems.length > 0 && retry) {
          setTimeout(() => check(false), 60_000).unref();
        } else {
          problems.forEach(problem => logger.error(problem));
        }
      },
      error =>
        logger.warn(`Could not check monitoring.clusters: ${error.message}`),
    );
  lifecycle?.addStartupHook(() => {
    check(true);
  });
}
