export interface Config {
  /**
   * Prometheus OCS for Backstage. Reference: docs/configuration.md.
   * (Keys read by the backend — timeouts, cache, per-cluster endpoints — are declared by
   * @prometheus-ocs/plugin-monitoring-backend.)
   */
  monitoring?: {
    /**
     * Cluster (a name from kubernetes.clusterLocatorMethods) used for entities without a
     * `backstage.io/kubernetes-cluster` annotation. Defaults to the only entry of
     * `monitoring.clusters` when there is exactly one.
     * @visibility frontend
     */
    defaultCluster?: string;

    /** Defaults of the generated prometheus-operator resources. */
    defaults?: {
      /**
       * Name of the namespace's Prometheus; its objects carry the label `prometheus=<instance>`.
       * DNS-1123 label, at most 40 characters. Default `k8s`.
       * @visibility frontend
       */
      instance?: string;
      /** Prometheus replicas by entity lifecycle (`spec.lifecycle`). */
      replicas?: {
        /**
         * Replicas for `lifecycle: production` (highly available). 1-10, default 2.
         * @visibility frontend
         */
        production?: number;
        /**
         * Replicas for every other lifecycle. 1-10, default 1.
         * @visibility frontend
         */
        default?: number;
      };
      /**
       * TSDB retention, a Prometheus duration of at least 1h. Default `15d`.
       * @visibility frontend
       */
      retention?: string;
      /**
       * Scrape interval of entities without `prometheus-ocs.io/interval`; 1s to 5m. Default `30s`.
       * @visibility frontend
       */
      scrapeInterval?: string;
      /**
       * ClusterRole bound (by a namespaced RoleBinding) to the generated ServiceAccount. It must
       * exist in the cluster and grant get/list/watch on services, endpoints, endpointslices and
       * pods. Default `prometheus-k8s`.
       */
      clusterRole?: string;
      /** The shared Alertmanager every generated Prometheus sends alerts to. Unset: no alerting. */
      alertmanager?: {
        /** Namespace of the Alertmanager Service. */
        namespace: string;
        /** Name of the Alertmanager Service. */
        name: string;
        /** Port name (or number) of the Service. Default `web`. */
        port?: string | number;
      };
      /**
       * Container resources of Prometheus. Each map replaces the default map when given.
       * Default requests `{cpu: 100m, memory: 400Mi}`, limits `{memory: 2Gi}`.
       */
      resources?: {
        /** e.g. `{ cpu: 100m, memory: 400Mi }` */
        requests?: { [resource: string]: string | number };
        /** e.g. `{ memory: 2Gi }` */
        limits?: { [resource: string]: string | number };
      };
      /** Persistent storage for the TSDB; without it Prometheus uses an emptyDir. */
      storage?: {
        /** Volume size, a Kubernetes quantity such as `50Gi`. */
        size: string;
        /** StorageClass; the cluster default when unset. */
        storageClassName?: string;
      };
      /**
       * Prometheus version the operator deploys (e.g. `v3.5.0`); the operator's default when unset.
       * @visibility frontend
       */
      version?: string;
    };

    /**
     * Where prometheus-ocs may act. Deny by default: a cluster that is not listed, or a namespace
     * not in its `allowedNamespaces`, is refused.
     */
    clusters?: Array<{
      /** Cluster name as in kubernetes.clusterLocatorMethods. */
      name: string;
      /** Namespaces where resources may be generated and applied. */
      allowedNamespaces?: string[];
      /**
       * Platform settings per allowed namespace (docs/tenancy.md). A namespace without an entry
       * is open: any entity owner may enable monitoring there, one Prometheus instance.
       */
      namespaces?: {
        [namespace: string]: {
          /** Groups (entity refs, kind Group by default) whose entities may enable monitoring here. */
          owners?: string[];
          /** Entities (refs, kind Component by default) allowed although their owner is not an owner. */
          grants?: string[];
          /** Floor of the namespace Prometheus' replicas; entities' needs may raise it. */
          replicas?: number;
          /** Floor of the namespace Prometheus' retention (Prometheus duration, at least 1h). */
          retention?: string;
          /** Distinct Prometheus instances entities may use in the namespace. Default 1. */
          maxInstances?: number;
          /** Replaces `monitoring.defaults.resources` for this namespace's Prometheus. */
          resources?: {
            requests?: { [resource: string]: string | number };
            limits?: { [resource: string]: string | number };
          };
          /** Replaces `monitoring.defaults.storage` for this namespace's Prometheus. */
          storage?: { size: string; storageClassName?: string };
        };
      };
      /** Further per-cluster keys are declared by the backend plugin. */
      [key: string]: unknown;
    }>;
  };
}
