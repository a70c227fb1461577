/*
 * Test helpers: clients for a running stand-in — @kubernetes/client-node configured the way the
 * portal configures it, and the kubectl binary — plus a reader for the Status in client errors.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiException, KubeConfig } from '@kubernetes/client-node';
import type { StandIn } from './types';

/** A KubeConfig for the stand-in's plain HTTP URL with a bearer token. */
export function kubeConfigFor(
  standIn: StandIn,
  token = 'demo-admin-token',
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'local', server: standIn.url, skipTLSVerify: true }],
    users: [{ name: 'sa', token }],
    contexts: [{ name: 'local', cluster: 'local', user: 'sa' }],
    currentContext: 'local',
  });
  return kc;
}

/** The Kubernetes Status carried by a client-node ApiException (or the thrown error itself). */
export async function statusOf(
  promise: Promise<unknown>,
): Promise<{ code: number; body: any }> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof ApiException) {
      const raw = (e as ApiException<unknown>).body;
      const body = typeof raw === 'string' ? JSON.parse(raw) : raw;
      return { code: e.code, body };
    }
    throw e;
  }
  throw new Error('expected the request to fail');
}

/** Where kubectl is, or undefined. */
export function findKubectl(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = `${dir}/kubectl`;
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

let cacheDir: string | undefined;

/** Runs kubectl against the stand-in over HTTPS (kubectl sends tokens only over TLS). */
export function kubectl(
  standIn: StandIn,
  args: string[],
  options: { token?: string; stdin?: string; freshDiscovery?: boolean } = {},
): Promise<KubectlResult> {
  const bin = findKubectl();
  if (!bin) throw new Error('kubectl is not installed');
  if (!standIn.httpsUrl || !standIn.caFile)
    throw new Error('the stand-in serves no HTTPS');
  const fullArgs = [
    '--server',
    standIn.httpsUrl,
    '--certificate-authority',
    standIn.caFile,
    '--token',
    options.token ?? 'demo-admin-token',
    // A private discovery cache: stand-ins on reused ports must not see each other's discovery.
    '--cache-dir',
    options.freshDiscovery
      ? fs.mkdtempSync(path.join(os.tmpdir(), 'standin-kubectl-'))
      : (cacheDir ??= fs.mkdtempSync(
          path.join(os.tmpdir(), 'standin-kubectl-'),
        )),
    ...args,
  ];
  return new Promise((resolve, reject) => {
    // An empty KUBECONFIG path keeps the machine's own kubeconfig out of the way.
    const child = spawn(bin, fullArgs, {
      env: {
        ...process.env,
        KUBECONFIG: '/dev/null',
        HOME: process.env.HOME ?? '/tmp',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    child.on('error', reject);
    child.on('close', code => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
