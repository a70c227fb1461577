export interface Config {
  /**
   * Prometheus OCS for Backstage. Reference: docs/configuration.md and docs/backend.md.
   *
   * The whole `monitoring` block is declared here, once, because -common is the one package
   * every reader depends on (the renderer here, cluster access in -node, the backend plugin, the
   * scaffolder module). Nothing is `@visibility frontend`: the frontend reads no config; it gets
   * what it shows (e.g. `clusters[].links`) from the backend's answers.
   *
   * Sections, in order: renderer (`defaultCluster`, `defaults`), where to act and how to reach
   * each cluster's Prometheus/Alertmanager (`clusters`), backend behaviour (`timeouts`, `cache`,
   * `queryRange`). Put a new key next to its siblings and say which package reads it.
   */
  monitoring?: {
    /* ---- Renderer (read by -common's readRenderOptions: backend, scaffolder module, CLI) ---- */

    /**
     * Cluster (a name from kubernetes.clusterLocatorMethods) used for entities without a
     * `backstage.io/kubernetes-cluster` annotation. Defaults to the only entry of
     * `monitoring.clusters` when there is exactly one.
     */
    defaultCluster?: string;

    /** Defaults of the generated prometheus-operator resources. */
    defaults?: {
      /**
       * Name of the namespace's Prometheus; its objects carry the label `prometheus=<instance>`.
       * DNS-1123 label, at most 40 characters. Default `k8s`.
       */
      instance?: string;
      /** Prometheus replicas by entity lifecycle (`spec.lifecycle`). */
      replicas?: {
        /** Replicas for `lifecycle: production` (highly available). 1-10, default 2. */
        production?: number;
        /** Replicas for every other lifecycle. 1-10, default 1. */
        default?: number;
      };
      /**
       * TSDB retention, a Prometheus duration of at least 1h. Default `15d`.
       */
      retention?: string;
      /**
       * Scrape interval of entities without `prometheus-ocs.io/interval`; 1s to 5m. Default `30s`.
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
       */
      version?: string;
    };

    /* ---- Clusters: where to act (renderer, -node) and how to reach upstreams (-backend) ---- */

    /**
     * Where prometheus-ocs may act. Deny by default: a cluster that is not listed, or a namespace
     * not in its `allowedNamespaces`, is refused.
     */
    clusters?: Array<{
      /** Cluster name as in kubernetes.clusterLocatorMethods. */
      name: string;
      /** Namespaces where resources may be generated and applied. Read by the renderer. */
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
      /**
       * How the backend reaches an entity's Prometheus: one instance, or a list when several
       * Prometheus hold the entity's data (e.g. the namespace's own and a central one). Reads ask
       * every instance; one failing is reported, not fatal. Default: through the cluster API
       * server's service proxy to `prometheus-operated:web` in the entity's namespace.
       */
      prometheus?:
        | MonitoringPrometheusEndpoint
        | MonitoringPrometheusEndpoint[];
      /**
       * How the backend reaches the shared Alertmanager: one instance, or a list (an empty list:
       * none). Silences are created in the first one. Default: the service proxy to
       * `monitoring.defaults.alertmanager` ({namespace, name, port}).
       */
      alertmanager?:
        | MonitoringAlertmanagerEndpoint
        | MonitoringAlertmanagerEndpoint[];
      /**
       * Read entities homed in other clusters from this one too: their targets, alerts, silences
       * and graphs also come from this cluster's Prometheus and Alertmanager when the namespace
       * is allowed here and the entity's ServiceMonitor exists here. Default false.
       */
      observe?: boolean;
      /**
       * Links shown to users (browser-reachable UIs), returned in the backend's status answers;
       * never used by the backend to fetch.
       */
      links?: {
        prometheus?: string;
        alertmanager?: string;
      };
    }>;

    /* ---- Backend behaviour (read by -backend; `timeouts.kubernetes` also by -node) ---- */

    /** Upstream time-outs in milliseconds. */
    timeouts?: {
      /** Kubernetes API requests. Default 10000. */
      kubernetes?: number;
      /** Prometheus requests. Default 5000. */
      prometheus?: number;
      /** Alertmanager requests. Default: the Prometheus time-out. */
      alertmanager?: number;
      /** Catalog requests (loading a request's entity). Default 10000. */
      catalog?: number;
      /** Permission decisions (authorizing a request). Default 10000. */
      permissions?: number;
      /** The cluster list (the Kubernetes plugin's, or a replaced monitoringClustersServiceRef). Default 10000. */
      clusters?: number;
    };
    /** Bounds of Kubernetes API reads. */
    kubernetes?: {
      /**
       * Pages (of 500 objects) one list may take before the request fails with 502 naming the
       * list, so an API server answering `continue` forever cannot hold a request. Default 20.
       */
      maxListPages?: number;
    };
    /** Short-lived cache of Prometheus/Alertmanager answers (coreServices.cache). */
    cache?: {
      /** Seconds an upstream answer is reused; 0 disables the cache (coalescing stays). Default 10. */
      ttlSeconds?: number;
      /**
       * Seconds a permission decision is reused for the same token, entity and permission (read
       * by the backend). 0 (default): every request is decided by the permission service. A
       * positive value spares the permission service one call per request of a tab a user
       * already opened, at the price of a revoked permission taking up to that long to apply
       * (docs/backend.md, "Entity lookups and decisions"). At most `ttlSeconds`.
       */
      decisionTtlSeconds?: number;
    };
    /** Bounds and panels of `GET query_range`. */
    queryRange?: {
      /** Largest number of points per series. Default 1100. */
      maxPoints?: number;
      /** Longest range in hours. Default 168 (7 days). */
      maxRangeHours?: number;
      /**
       * Additional or replaced named panels: PromQL templates with `$selector` (the entity's
       * namespace and service matchers; mandatory) and optionally `$window` (rate window).
       */
      panels?: { [name: string]: string };
    };
  };
}

/** One Prometheus of a cluster (`monitoring.clusters[].prometheus`). */
interface MonitoringPrometheusEndpoint {
  /**
   * Name shown in results and failures when a cluster has several; lower-case DNS label.
   * Default: the Service name, or the URL's host.
   */
  name?: string;
  /** Service name for the service proxy. Default `prometheus-operated`. */
  service?: string;
  /** Service port name or number. Default `web`. */
  port?: string | number;
  /**
   * Namespace of the Service; default: the entity's namespace (one Prometheus per namespace).
   * Set it when one central Prometheus serves every namespace.
   */
  namespace?: string;
  /** `https` when the Service itself serves TLS. Default `http`. */
  scheme?: 'http' | 'https';
  /**
   * Explicit base URL instead of the service proxy (e.g. a Prometheus reachable from the
   * backend). Only config can set URLs; annotations never can.
   */
  url?: string;
}

/** One Alertmanager of a cluster (`monitoring.clusters[].alertmanager`). */
interface MonitoringAlertmanagerEndpoint {
  /** Name shown in results and failures when a cluster has several. Default: the Service name, or the URL's host. */
  name?: string;
  /** Namespace of the Alertmanager Service. */
  namespace?: string;
  /** Service name. */
  service?: string;
  /** Service port name or number. Default `web`. */
  port?: string | number;
  /** `https` when the Service itself serves TLS. Default `http`. */
  scheme?: 'http' | 'https';
  /** Explicit base URL instead of the service proxy. */
  url?: string;
}
