/*
 * Starts the Kubernetes API stand-in (@prometheus-ocs/kubernetes-api-standin) for the
 * environment, with its service proxy pointed at this environment's Prometheus and Alertmanager.
 */
import {
  DEFAULT_NAMESPACES,
  DEFAULT_TOKENS,
  monitoringProxyTargets,
  StandIn,
  startStandIn,
} from '@prometheus-ocs/kubernetes-api-standin';
import { EnvironmentPorts } from './environmentPorts';

/**
 * The fake AWS identity of the demo: the backend signs EKS IAM tokens for the catalog-registered
 * cluster `demo-eks` with it (AWS_* environment of the backend), and the stand-in, playing STS,
 * verifies them. Not a secret: it opens nothing but the local stand-in.
 */
export const DEMO_AWS_IDENTITY = {
  accessKeyId: 'AKIADEMOSTANDIN00001',
  secretAccessKey: 'demo-stand-in-fake-aws-secret-key',
};

export async function startStandInForEnvironment(options: {
  ports: EnvironmentPorts;
  stateFile: string;
  log: (message: string) => void;
  /** Enables the stand-in's `/_standin/` control API for this token (tests in other processes). */
  adminToken?: string;
}): Promise<StandIn> {
  const { ports, log } = options;
  return startStandIn({
    port: ports.standIn,
    host: '127.0.0.1',
    stateFile: options.stateFile,
    adminToken: options.adminToken,
    tokens: DEFAULT_TOKENS,
    // `shop-staging` holds the services of the second cluster name, `demo-eks`.
    namespaces: [...DEFAULT_NAMESPACES, 'shop-staging'],
    awsIam: {
      clusterId: 'demo-eks',
      identities: [
        {
          ...DEMO_AWS_IDENTITY,
          user: 'arn:aws:iam::000000000000:role/backstage-demo',
          forbiddenNamespaces: ['restricted'],
        },
      ],
    },
    // Every namespace's `prometheus-operated` is the one local Prometheus; the shared
    // Alertmanager of the config's `monitoring.defaults.alertmanager` the local Alertmanager.
    proxyTargets: monitoringProxyTargets({
      prometheusUrl: `http://127.0.0.1:${ports.prometheus}`,
      alertmanagerUrl: `http://127.0.0.1:${ports.alertmanager}`,
    }),
    // Only problems: the stand-in's per-request info would drown the dev console.
    logger: { info: () => {}, warn: message => log(`[stand-in] ${message}`) },
  });
}
