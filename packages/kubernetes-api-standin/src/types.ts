/*
 * Public types of the Kubernetes API stand-in: how it is configured and how tests and the dev
 * orchestration control it while it runs.
 */
import type { KubeObject } from './objectStore';

/** A bearer token the stand-in accepts, and what its user may do. */
export interface StandInToken {
  token: string;
  /** user name in Forbidden messages; default `system:serviceaccount:kube-system:prometheus-ocs` */
  user?: string;
  /** every request into these namespaces is answered 403 Forbidden; `*`: every request */
  forbiddenNamespaces?: string[];
  /**
   * Whether lists across all namespaces (`/api/v1/pods`) are allowed. RBAC cannot grant "every
   * namespace but X", so by default a token with forbidden namespaces may not list cluster-wide.
   */
  listAllNamespaces?: boolean;
  /** permission on `services/proxy`; default true */
  serviceProxy?: boolean;
  /** may only read (get/list); writes are 403; default false */
  readOnly?: boolean;
}

/**
 * EKS-style IAM authentication (aws-iam-authenticator): `k8s-aws-v1.` tokens, i.e. presigned STS
 * GetCallerIdentity requests whose signed `x-k8s-aws-id` header names this cluster.
 */
export interface StandInAwsIam {
  /** the cluster id a token's presigned request must name (`x-k8s-aws-id`) */
  clusterId: string;
  /**
   * IAM identities the stand-in verifies signatures for (it plays STS), each mapped to a user and
   * its authorization, as the aws-auth ConfigMap maps IAM principals.
   */
  identities: Array<
    { accessKeyId: string; secretAccessKey: string } & Omit<
      StandInToken,
      'token'
    >
  >;
}

/** OIDC authentication of id tokens (kube-apiserver `--oidc-*` flags), HS256-signed here. */
export interface StandInOidc {
  /** `iss` the tokens must carry */
  issuer: string;
  /** the client id: `aud` must contain it */
  clientId: string;
  /** the shared HS256 secret the test issuer signs with */
  signingSecret: string;
  /** the claim naming the user; default `sub` */
  usernameClaim?: string;
  /** prefix of Kubernetes user names (`--oidc-username-prefix`); default `oidc:` */
  usernamePrefix?: string;
  /** users and their authorization; an authenticated user not listed may do nothing (403) */
  users: Array<{ username: string } & Omit<StandInToken, 'token' | 'user'>>;
}

/** Where the service proxy forwards `/api/v1/namespaces/<ns>/services/<service>:<port>/proxy/...`. */
export interface ServiceProxyTarget {
  /** namespace of the Service, or `*` for any namespace */
  namespace: string;
  service: string;
  /** the Service port name (or number as a string) */
  port: string;
  /** base URL of the real process, e.g. `http://127.0.0.1:9090` */
  target: string;
}

/** A rule that makes matching requests fail or slow down. */
export interface FaultRule {
  /** HTTP method to match (any when absent) */
  method?: string;
  /** path (without query) to match: a RegExp, or a string tested as a regular expression */
  path?: RegExp | string;
  /** the first matching request the fault applies to, 1-based; default 1 */
  nth?: number;
  /** how many consecutive matching requests it applies to from the nth; default 1; Infinity for all */
  times?: number;
  /** answer with this status code (a Kubernetes `Status` body) instead of handling the request */
  status?: number;
  /** message of that Status; default describes the injected fault */
  message?: string;
  /** wait this long before answering (combined with `status`, or before handling normally) */
  delayMs?: number;
  /**
   * leave the request unanswered until the fault is released (`release()`, `remove()`,
   * `faults.clear()` or closing the stand-in), then answer it as the other fields say: an API
   * server that does not answer, for time-out tests that must not race the clock
   */
  hold?: boolean;
}

/** A fault rule while installed. */
export interface FaultHandle {
  readonly rule: FaultRule;
  /** how many requests matched the rule so far */
  readonly matched: number;
  /** how many requests the fault was applied to */
  readonly applied: number;
  /** answers the requests held by a `hold` rule (and any it matches later) */
  release(): void;
  /** uninstalls the rule (releasing what it holds) */
  remove(): void;
}

/** A request the stand-in received. */
export interface RecordedRequest {
  time: string;
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  userAgent?: string;
  /** the authenticated user, when the token was valid */
  user?: string;
  /** the request body (for writes), parsed as JSON/YAML when possible */
  body?: unknown;
  status: number;
  /** true for POST/PUT/PATCH/DELETE on API resources without dryRun */
  write: boolean;
}

export interface StandInLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface StandInOptions {
  /** TCP port; 0 picks a free one; default `K8S_STANDIN_PORT` or 6443 */
  port?: number;
  /** interface to listen on; default 127.0.0.1 */
  host?: string;
  /** accepted tokens; default one token `demo-admin-token` that may not touch `restricted` */
  tokens?: StandInToken[];
  /** also accept EKS IAM tokens (`k8s-aws-v1.`) */
  awsIam?: StandInAwsIam;
  /** also accept OIDC id tokens */
  oidc?: StandInOidc;
  /** namespaces created on start when the store is empty */
  namespaces?: string[];
  /** extra objects created on start when the store is empty */
  initialObjects?: KubeObject[];
  /** whether the monitoring.coreos.com CRDs are installed; default true */
  operatorInstalled?: boolean;
  /** persist state to this JSON file (loaded on start when it exists); in memory when absent */
  stateFile?: string;
  /** directory with the CustomResourceDefinition YAML files; default the repository's `crds/` */
  crdDir?: string;
  /** targets of the service proxy */
  proxyTargets?: ServiceProxyTarget[];
  /** how long the proxied request may take before 503; default 30 000 ms */
  proxyTimeoutMs?: number;
  /** delay before a Prometheus's simulated pods are ready; default 3000 ms */
  operatorReadyDelayMs?: number;
  /**
   * Certificate for HTTPS on the same port (kubectl sends tokens only over TLS); default the
   * bundled loopback test certificate; `false` serves plain HTTP only.
   */
  tls?: { certFile: string; keyFile: string } | false;
  /** enables the control API under `/_standin/` for this bearer token (for out-of-process tests) */
  adminToken?: string;
  /** how many requests the request log keeps; default 10 000 */
  requestLogLimit?: number;
  logger?: StandInLogger;
}

/** Reading and resetting the stand-in's objects. */
export interface StandInState {
  /** a stored object, or undefined */
  get(ref: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
  }): KubeObject | undefined;
  /** stored objects of a kind (optionally in one namespace) */
  list(ref: {
    apiVersion: string;
    kind: string;
    namespace?: string;
  }): KubeObject[];
  /** the current global resourceVersion */
  resourceVersion(): string;
  /** removes every object and re-creates the initial namespaces and objects */
  reset(): void;
}

export interface StandInFaults {
  add(rule: FaultRule): FaultHandle;
  clear(): void;
  list(): FaultHandle[];
}

export interface StandInRequests {
  /** received requests, oldest first, optionally filtered */
  list(filter?: { method?: string; path?: RegExp | string }): RecordedRequest[];
  /** requests that would have changed state (writes without dryRun) */
  writes(): RecordedRequest[];
  clear(): void;
}

/** A running stand-in. */
export interface StandIn {
  /** plain HTTP base URL, e.g. `http://127.0.0.1:6443` */
  url: string;
  /** HTTPS base URL on the same port (undefined when TLS is off), e.g. `https://127.0.0.1:6443` */
  httpsUrl?: string;
  /** the certificate to trust for `httpsUrl` (kubectl `--certificate-authority`) */
  caFile?: string;
  port: number;
  state: StandInState;
  faults: StandInFaults;
  requests: StandInRequests;
  /** switch "operator installed" (the monitoring.coreos.com group) on or off */
  setOperatorInstalled(installed: boolean): void;
  isOperatorInstalled(): boolean;
  /** replace the forbidden namespaces of a token */
  setForbiddenNamespaces(token: string, namespaces: string[]): void;
  /** replace the service proxy targets */
  setProxyTargets(targets: ServiceProxyTarget[]): void;
  /** change the simulated operator's ready delay (rollouts under way too: ready that long after they started) */
  setOperatorReadyDelay(ms: number): void;
  close(): Promise<void>;
}
