/*
 * Turns the stand-in's command line flags and environment variables into StandInOptions, with
 * clear errors for malformed values.
 */
import fs from 'node:fs';
import type { ServiceProxyTarget, StandInOptions, StandInToken } from './types';

export const DEFAULT_PROXY_SPECS = [
  '*/prometheus-operated:web=http://127.0.0.1:9090',
  'monitoring/alertmanager-main:web=http://127.0.0.1:9093',
];

export interface CliValues {
  port?: string;
  host?: string;
  'state-file'?: string;
  token?: string[];
  'forbidden-namespaces'?: string;
  'tokens-file'?: string;
  proxy?: string[];
  'ready-delay-ms'?: string;
  'operator-installed'?: string;
  'crd-dir'?: string;
  'admin-token'?: string;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}

function nonNegativeInt(name: string, value: string): number {
  if (!/^\d+$/.test(value))
    throw new Error(
      `${name} must be a non-negative integer, got ${JSON.stringify(value)}`,
    );
  return Number(value);
}

function bool(name: string, value: string): boolean {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new Error(
    `${name} must be true or false, got ${JSON.stringify(value)}`,
  );
}

/** Parses `<namespace|*>/<service>:<port>=<url>`. */
export function parseProxySpec(spec: string): ServiceProxyTarget {
  const m = /^([^/=\s]+)\/([^:=\s]+):([^=\s]+)=(\S+)$/.exec(spec.trim());
  if (!m)
    throw new Error(
      `proxy target ${JSON.stringify(
        spec,
      )} must look like <namespace|*>/<service>:<port>=<url>`,
    );
  let url: URL;
  try {
    url = new URL(m[4]);
  } catch {
    throw new Error(
      `proxy target ${JSON.stringify(spec)} has an invalid URL ${JSON.stringify(
        m[4],
      )}`,
    );
  }
  if (url.protocol !== 'http:')
    throw new Error(
      `proxy target ${JSON.stringify(
        spec,
      )}: only http:// targets are supported`,
    );
  return { namespace: m[1], service: m[2], port: m[3], target: m[4] };
}

function readTokensFile(file: string): StandInToken[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read tokens file ${file}: ${(e as Error).message}`);
  }
  if (
    !Array.isArray(parsed) ||
    parsed.some(t => typeof t?.token !== 'string' || !t.token)
  ) {
    throw new Error(
      `tokens file ${file} must be a JSON array of objects with a non-empty "token"`,
    );
  }
  return parsed as StandInToken[];
}

/** Flags win over environment variables, which win over defaults. */
export function parseOptions(
  values: CliValues,
  env: NodeJS.ProcessEnv,
): StandInOptions {
  const options: StandInOptions = {};
  const port = values.port ?? env.K8S_STANDIN_PORT;
  options.port = port !== undefined ? nonNegativeInt('port', port) : 6443;
  if (options.port > 65535)
    throw new Error(`port must be at most 65535, got ${options.port}`);
  options.host = values.host ?? env.K8S_STANDIN_HOST ?? '127.0.0.1';
  const stateFile = values['state-file'] ?? env.K8S_STANDIN_STATE_FILE;
  if (stateFile) options.stateFile = stateFile;

  const tokensFile = values['tokens-file'] ?? env.K8S_STANDIN_TOKENS_FILE;
  if (tokensFile) {
    options.tokens = readTokensFile(tokensFile);
  } else {
    const tokens = values.token?.length
      ? values.token
      : list(env.K8S_STANDIN_TOKENS);
    const forbiddenRaw =
      values['forbidden-namespaces'] ?? env.K8S_STANDIN_FORBIDDEN_NAMESPACES;
    const forbidden =
      forbiddenRaw === undefined ? ['restricted'] : list(forbiddenRaw);
    options.tokens = (tokens.length ? tokens : ['demo-admin-token']).map(
      token => ({
        token,
        user: 'system:serviceaccount:kube-system:backstage',
        forbiddenNamespaces: forbidden,
      }),
    );
  }

  let proxySpecs = DEFAULT_PROXY_SPECS;
  if (values.proxy?.length) proxySpecs = values.proxy;
  else if (env.K8S_STANDIN_PROXY !== undefined)
    proxySpecs = list(env.K8S_STANDIN_PROXY);
  options.proxyTargets = proxySpecs.map(parseProxySpec);

  const delay = values['ready-delay-ms'] ?? env.K8S_STANDIN_READY_DELAY_MS;
  if (delay !== undefined)
    options.operatorReadyDelayMs = nonNegativeInt('ready-delay-ms', delay);
  const installed =
    values['operator-installed'] ?? env.K8S_STANDIN_OPERATOR_INSTALLED;
  if (installed !== undefined)
    options.operatorInstalled = bool('operator-installed', installed);
  const crdDir = values['crd-dir'] ?? env.K8S_STANDIN_CRD_DIR;
  if (crdDir) options.crdDir = crdDir;
  const adminToken = values['admin-token'] ?? env.K8S_STANDIN_ADMIN_TOKEN;
  if (adminToken) options.adminToken = adminToken;
  return options;
}
