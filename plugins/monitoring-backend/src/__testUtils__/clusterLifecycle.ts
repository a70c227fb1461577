import { RecordingUpstream } from './recordingUpstream';
import { StandInBackend } from './standInBackend';

/**
 * Plan → apply → status → targets → teardown of `entity` through the monitoring API, asserting each
 * step, as one user. Returns the users the stand-in saw writing (its request log), so a suite can
 * check which identity reached the cluster.
 */
export async function expectLifecycle(
  env: StandInBackend,
  options: {
    entity: string;
    upstream: RecordingUpstream;
    user?: string;
    headers?: Record<string, string>;
  },
): Promise<{ writers: string[] }> {
  const path = `/entities/component/default/${options.entity}`;
  const as = { user: options.user, headers: options.headers };
  env.standIn.requests.clear();
  options.upstream.requests.length = 0;

  const plan = await env.call('post', `${path}/plan`, { ...as, body: {} });
  expect(plan.status).toBe(200);
  // A dry run through the proxy: server-side apply with dryRun=All, nothing written.
  expect(plan.body.objects.length).toBeGreaterThan(0);
  expect(
    env.standIn.requests
      .list({ method: 'PATCH' })
      .every(r => r.query.dryRun === 'All'),
  ).toBe(true);
  expect(env.standIn.requests.writes()).toEqual([]);

  const applied = await env.call('post', `${path}/apply`, { ...as, body: {} });
  expect(applied.status).toBe(200);
  expect(applied.body.ok).toBe(true);
  expect(
    env.standIn.requests
      .list({ method: 'PATCH' })
      .filter(r => r.write)
      .every(r => r.contentType === 'application/apply-patch+yaml'),
  ).toBe(true);

  const status = await env.call('get', `${path}/status`, as);
  expect(status.status).toBe(200);
  expect(status.body).toMatchObject({ applied: true });

  // Targets through the API server's service proxy, itself reached through the Kubernetes plugin.
  const targets = await env.call('get', `${path}/targets`, as);
  expect(targets.status).toBe(200);
  expect(options.upstream.requests.map(r => r.path)).toContain(
    '/api/v1/targets',
  );

  const writers = env.standIn.requests.writes().map(r => r.user ?? '(unnamed)');

  const removed = await env.call('delete', path, as);
  expect(removed.status).toBe(200);
  expect(removed.body.ok).toBe(true);
  // Shared objects go with the last entity: deletes with a uid precondition.
  expect(
    env.standIn.state.list({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      namespace: 'shop-prod',
    }),
  ).toEqual([]);
  expect(
    env.standIn.requests
      .list({ method: 'DELETE' })
      .some(r => (r.body as any)?.preconditions?.uid),
  ).toBe(true);
  return { writers: [...new Set(writers)] };
}
