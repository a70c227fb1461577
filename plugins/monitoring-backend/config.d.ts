export interface Config {
  /**
   * Prometheus OCS for Backstage — keys read by the backend plugin. Reference: docs/backend.md.
   * (`defaults`, `defaultCluster` and `clusters[].name|allowedNamespaces` are declared by
   * @prometheus-ocs/plugin-monitoring-common.)
   */
  monitoring?: {
    clusters?: Array<{
      /** Cluster name as in kubernetes.clusterLocatorMethods. */
      name: string;
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
      /** Links shown to users (browser-reachable UIs); never used by the backend to fetch. */
      links?: {
        /** @visibility frontend */
        prometheus?: string;
        /** @visibility frontend */
        alertmanager?: string;
      };
    }>;
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
      /** A cluster supplier listing its clusters (incl. monitoringClusterSupplierExtensionPoint ones). Default 10000. */
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
