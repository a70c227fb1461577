import { MONITORING_ANNOTATIONS } from '@prometheus-ocs/plugin-monitoring-common';

/** Annotation the entity opts in with. */
export const MONITORING_ENABLED_ANNOTATION = MONITORING_ANNOTATIONS.enabled;

/** The snippet shown to users who have not opted in yet. */
export const OPT_IN_SNIPPET = `metadata:
  annotations:
    ${MONITORING_ENABLED_ANNOTATION}: "true"
    # optional, defaults shown:
    # ${MONITORING_ANNOTATIONS.port}: metrics     # Service port (name or number) serving metrics
    # ${MONITORING_ANNOTATIONS.path}: /metrics
    # ${MONITORING_ANNOTATIONS.interval}: 30s
    # ${MONITORING_ANNOTATIONS.instance}: k8s     # the namespace's Prometheus
`;
