import { expect, test } from '@playwright/test';
import { signInAsGuest } from './signIn';

/*
 * Runs the "Monitored Node.js service" template in the portal as the guest (team-shop) with
 * "apply now", and checks that the task lists the rendered manifests and that the objects are in
 * the Kubernetes API stand-in, marked as prometheus-ocs' and the new entity's.
 */

const STAND_IN = `http://127.0.0.1:${process.env.K8S_STANDIN_PORT ?? '6443'}`;
const TOKEN = process.env.K8S_TOKEN ?? 'demo-admin-token';

// A name of its own per run, so the objects checked below were written by this run.
const name = `e2e-svc-${Date.now().toString(36)}`;
const namespace = 'shop-dev';

async function getObject(path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${STAND_IN}${path}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  return { status: response.status, body: await response.json() };
}

const serviceMonitorPath = `/apis/monitoring.coreos.com/v1/namespaces/${namespace}/servicemonitors/${name}`;
const servicePath = `/api/v1/namespaces/${namespace}/services/${name}-metrics`;

const sharedPaths = [
  `/apis/monitoring.coreos.com/v1/namespaces/${namespace}/prometheuses/k8s`,
  `/api/v1/namespaces/${namespace}/secrets/prometheus-k8s-additional-scrape-configs`,
  `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings/prometheus-k8s`,
  `/api/v1/namespaces/${namespace}/serviceaccounts/prometheus-k8s`,
];

test.afterAll(async () => {
  // Remove what this run created: its own objects, and the namespace's shared objects only when
  // this run's entity created them (they record their first entity), i.e. nobody else uses them.
  const entityRef = `component:default/${name}`;
  for (const path of [serviceMonitorPath, servicePath, ...sharedPaths]) {
    const { status, body } = await getObject(path);
    if (
      status === 200 &&
      body.metadata.annotations?.['prometheus-ocs.io/entity-ref'] === entityRef
    ) {
      await fetch(`${STAND_IN}${path}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
    }
  }
});

test('the Monitored Node.js service template renders and applies the monitoring resources', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signInAsGuest(page, '/create/templates/default/monitored-node-service');
  await expect(
    page.getByRole('heading', { name: 'Monitored Node.js service' }).first(),
  ).toBeVisible();

  // Step 1: the service.
  await page.getByRole('textbox', { name: /^Name/ }).fill(name);
  const owner = page.getByRole('textbox', { name: /^Owner/ });
  await owner.click();
  await owner.fill('team-shop');
  await page
    .getByRole('option', { name: /team-shop/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 2: namespace (default shop-dev), lifecycle, apply now.
  await page
    .getByRole('checkbox', { name: /Apply the monitoring resources now/ })
    .check();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task page: the output card lists the rendered files and the apply results.
  const output = page.getByTestId('text-output-box');
  await expect(
    output.getByRole('heading', { name: 'Monitoring manifests' }),
  ).toBeVisible({ timeout: 120_000 });
  for (const file of [
    'deploy/monitoring/serviceaccount-prometheus-k8s.yaml',
    'deploy/monitoring/rolebinding-prometheus-k8s.yaml',
    'deploy/monitoring/secret-prometheus-k8s-additional-scrape-configs.yaml',
    'deploy/monitoring/prometheus-k8s.yaml',
    `deploy/monitoring/service-${name}-metrics.yaml`,
    `deploy/monitoring/servicemonitor-${name}.yaml`,
  ]) {
    await expect(output.getByText(file, { exact: true })).toBeVisible();
  }
  await expect(output).toContainText(`component:default/${name}`);
  await expect(output).toContainText(`Applied to local/${namespace}`);
  await expect(output).toContainText(`ServiceMonitor ${name}: created`);
  await expect(output).toContainText(`Service ${name}-metrics: created`);

  // The objects are in the cluster, with prometheus-ocs' ownership markers.
  const serviceMonitor = await getObject(serviceMonitorPath);
  expect(serviceMonitor.status).toBe(200);
  expect(serviceMonitor.body.metadata.labels).toMatchObject({
    'app.kubernetes.io/managed-by': 'prometheus-ocs',
    'prometheus-ocs.io/scope': 'entity',
    prometheus: 'k8s',
  });
  expect(serviceMonitor.body.metadata.annotations).toMatchObject({
    'prometheus-ocs.io/entity-ref': `component:default/${name}`,
  });
  expect(serviceMonitor.body.spec.endpoints).toEqual([
    expect.objectContaining({
      port: 'http',
      path: '/metrics',
      interval: '30s',
    }),
  ]);
  expect(
    serviceMonitor.body.metadata.managedFields.map(
      (f: { manager: string }) => f.manager,
    ),
  ).toContain('prometheus-ocs');

  const service = await getObject(servicePath);
  expect(service.status).toBe(200);
  expect(service.body.spec.selector).toEqual({
    'app.kubernetes.io/name': name,
  });

  const prometheus = await getObject(sharedPaths[0]);
  expect(prometheus.status).toBe(200);
  expect(prometheus.body.metadata.labels).toMatchObject({
    'app.kubernetes.io/managed-by': 'prometheus-ocs',
    'prometheus-ocs.io/scope': 'shared',
  });
});
