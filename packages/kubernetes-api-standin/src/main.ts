/*
 * Command line entry of the Kubernetes API stand-in (`yarn stand-in`).
 * Every flag has an environment variable twin so the dev script and Playwright can configure it.
 */
import { parseArgs } from 'node:util';
import { parseOptions } from './cliOptions';
import { startStandIn } from './startStandIn';

const HELP = `Kubernetes API stand-in for Prometheus OCS

Usage: stand-in [options]

  --port <n>                    port (env K8S_STANDIN_PORT, default 6443; 0 = any free port)
  --host <addr>                 listen address (env K8S_STANDIN_HOST, default 127.0.0.1)
  --state-file <path>           persist objects to this JSON file (env K8S_STANDIN_STATE_FILE; in memory when unset)
  --token <token>               accepted bearer token, repeatable (env K8S_STANDIN_TOKENS, comma separated;
                                default demo-admin-token)
  --forbidden-namespaces <list> namespaces the tokens may not touch (env K8S_STANDIN_FORBIDDEN_NAMESPACES,
                                comma separated, default restricted; "" for none)
  --tokens-file <path>          JSON array of StandInToken objects (env K8S_STANDIN_TOKENS_FILE); overrides --token
  --proxy <spec>                service proxy target <namespace|*>/<service>:<port>=<url>, repeatable
                                (env K8S_STANDIN_PROXY, comma separated; default
                                */prometheus-operated:web=http://127.0.0.1:9090,monitoring/alertmanager-main:web=http://127.0.0.1:9093)
  --ready-delay-ms <n>          simulated Prometheus pods become ready after this delay (env K8S_STANDIN_READY_DELAY_MS, default 3000)
  --operator-installed <bool>   serve monitoring.coreos.com (env K8S_STANDIN_OPERATOR_INSTALLED, default true)
  --crd-dir <path>              CustomResourceDefinition YAML files (env K8S_STANDIN_CRD_DIR, default the repository's crds/)
  --admin-token <token>         enable the /_standin/ control API for this token (env K8S_STANDIN_ADMIN_TOKEN)
  --help                        show this help
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'state-file': { type: 'string' },
      token: { type: 'string', multiple: true },
      'forbidden-namespaces': { type: 'string' },
      'tokens-file': { type: 'string' },
      proxy: { type: 'string', multiple: true },
      'ready-delay-ms': { type: 'string' },
      'operator-installed': { type: 'string' },
      'crd-dir': { type: 'string' },
      'admin-token': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const options = parseOptions(values, process.env);
  const standIn = await startStandIn({
    ...options,
    logger: {
      info: m => console.log(`[stand-in] ${m}`),
      warn: m => console.warn(`[stand-in] ${m}`),
    },
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[stand-in] ${signal} received, stopping`);
    standIn.close().then(
      () => process.exit(0),
      e => {
        console.error(`[stand-in] failed to stop cleanly: ${e}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch(e => {
  console.error(`[stand-in] ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
