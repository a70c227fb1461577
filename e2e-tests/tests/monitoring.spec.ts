import { Locator, Page, expect, test } from '@playwright/test';
import type { StatusResponse } from '@prometheus-ocs/plugin-monitoring-common';
import { signInAsGuest } from './signIn';
import { saveScreenshot } from './saveScreenshot';
import { waitForPermissionDecision } from './permissionDecision';
import {
  MonitoringApiClient,
  alertmanagerAlerts,
  alertmanagerSilence,
  deleteEntityObject,
  getKubernetesObject,
  prometheusAlerts,
  prometheusTargets,
} from './demoEnvironment';

/*
 * The Monitoring tab against the running demo portal, its Kubernetes API stand-in and the real
 * Prometheus and Alertmanager (see README "Demo catalog"). The guest user is in team-shop, which
 * owns checkout, cart, legacy-billing and search; payments and inventory belong to
 * team-payments. Every test sets up what it needs, so they run in any order and again on a
 * portal that earlier runs have changed.
 *
 * Each view is attached to the test results as a screenshot; with UPDATE_DOCS_SCREENSHOTS=1 the
 * same images are written to docs/images/ for docs/frontend.md.
 */

/** The Monitoring tab of a Component of the default namespace, once its status has loaded. */
async function openMonitoringTab(page: Page, entity: string): Promise<void> {
  const loaded = card(page, 'Prometheus')
    .or(page.getByRole('heading', { name: 'Monitoring is not enabled' }))
    .or(
      page
        .getByRole('alert')
        .filter({ hasText: 'Invalid monitoring annotation' }),
    );
  // The status loads once, then every 30 s: if the first request failed because the dev
  // backend was restarting (it does on every source change), load the page again.
  await expect(async () => {
    await signInAsGuest(
      page,
      `/catalog/default/component/${entity}/monitoring`,
    );
    await expect(
      page.getByRole('heading', { name: entity, exact: true }),
    ).toBeVisible();
    await expect(loaded).toBeVisible({ timeout: 20_000 });
  }).toPass({ timeout: 120_000 });
}

/** One of the tab's cards (Backstage InfoCards), by its title. */
function card(page: Page, title: string): Locator {
  return page.locator('.MuiCard-root').filter({
    has: page.locator('.MuiCardHeader-title', {
      hasText: new RegExp(`^${title}$`),
    }),
  });
}

/** Whether the entity's own objects (not the namespace's shared ones) exist in the cluster. */
function isApplied(status: StatusResponse): boolean {
  return (
    status.applied ??
    status.objects.some(
      o =>
        ['Service', 'ServiceMonitor', 'PrometheusRule'].includes(o.kind) &&
        o.state !== 'missing',
    )
  );
}

/**
 * The row of an object in one of the tab's object tables (Resources, Planned changes, Apply
 * results), found by its Kind and Name cells, e.g. "ServiceMonitor", "shop-dev/cart".
 */
function objectRow(table: Locator, kind: string, name: string): Locator {
  return table
    .getByRole('row')
    .filter({
      has: table.page().getByRole('cell', { name: kind, exact: true }),
    })
    .filter({ has: table.page().getByRole('cell', { name, exact: true }) });
}

test.describe('Monitoring tab', () => {
  test('enables monitoring for cart: plan with the ServiceMonitor YAML, apply, in sync, rollout ready', async ({
    page,
  }, testInfo) => {
    test.setTimeout(240_000);

    // Start from "opted in, not applied": an earlier run on this portal may have enabled cart.
    const api = await MonitoringApiClient.asGuest();
    if (isApplied(await api.status('cart'))) {
      expect((await api.teardown('cart')).ok).toBe(true);
    }
    const serviceMonitorPath =
      '/apis/monitoring.coreos.com/v1/namespaces/shop-dev/servicemonitors/cart';
    expect((await getKubernetesObject(serviceMonitorPath)).status).toBe(404);
    // Without its ServiceMonitor nothing scrapes cart (the environment's stand-in for the
    // operator gives a scrape pool targets only while its ServiceMonitor exists).
    const scrapePool = 'serviceMonitor/shop-dev/cart/0';
    await expect
      .poll(async () => (await prometheusTargets(scrapePool)).length, {
        timeout: 30_000,
      })
      .toBe(0);

    await openMonitoringTab(page, 'cart');
    const overview = card(page, 'Prometheus');
    await expect(
      overview.getByText(/resources have not been created in the cluster yet/),
    ).toBeVisible();
    const resources = page.getByRole('table', { name: 'Resources' });
    await expect(
      objectRow(resources, 'ServiceMonitor', 'shop-dev/cart'),
    ).toContainText('missing');
    const enable = overview.getByRole('button', { name: 'Enable monitoring' });
    await expect(enable).toBeVisible();
    await saveScreenshot(overview, testInfo, 'monitoring-enable');

    // The plan: nothing written yet; the Service and ServiceMonitor are to be created.
    await enable.click();
    const dialog = page.getByRole('dialog', { name: 'Enable monitoring' });
    await expect(
      dialog.getByText(/Nothing has been written yet\./),
    ).toBeVisible();
    const changes = dialog.getByRole('table', { name: 'Planned changes' });
    for (const [kind, name] of [
      ['Service', 'shop-dev/cart-metrics'],
      ['ServiceMonitor', 'shop-dev/cart'],
    ]) {
      await expect(objectRow(changes, kind, name)).toContainText('create');
    }
    await saveScreenshot(dialog, testInfo, 'monitoring-plan-changes');

    // Its YAML: the ServiceMonitor alone, selecting cart's metrics Service for the k8s Prometheus.
    await dialog.getByRole('tab', { name: 'YAML' }).click();
    await dialog.getByRole('button', { name: /^Object/ }).click();
    await page
      .getByRole('option', {
        name: 'ServiceMonitor shop-dev/cart',
        exact: true,
      })
      .click();
    const yaml = dialog.getByRole('code');
    await expect(yaml).toContainText('kind: ServiceMonitor');
    await expect(yaml).toContainText('name: cart');
    await expect(yaml).toContainText('prometheus: k8s');
    await expect(yaml).toContainText('backstage.io/kubernetes-id: cart');
    await expect(
      dialog.getByRole('button', { name: 'Download servicemonitor-cart.yaml' }),
    ).toBeVisible();
    await saveScreenshot(dialog, testInfo, 'monitoring-plan');

    // Apply: every object created or unchanged, then the rollout of the namespace's Prometheus.
    await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(dialog.getByText('Applied to cluster "local".')).toBeVisible({
      timeout: 60_000,
    });
    const results = dialog.getByRole('table', { name: 'Apply results' });
    await expect(
      objectRow(results, 'ServiceMonitor', 'shop-dev/cart'),
    ).toContainText('created');
    await expect(
      objectRow(results, 'Service', 'shop-dev/cart-metrics'),
    ).toContainText('created');
    await expect(
      dialog.getByRole('status').filter({
        hasText: /Prometheus "k8s" is ready: (\d+) of \1 replicas available/,
      }),
    ).toBeVisible({ timeout: 120_000 });
    await saveScreenshot(dialog, testInfo, 'monitoring-apply');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();

    // The overview: every resource in sync, the rollout complete, nothing left to enable.
    await expect(
      objectRow(resources, 'ServiceMonitor', 'shop-dev/cart'),
    ).toContainText('in sync');
    await expect(
      objectRow(resources, 'Service', 'shop-dev/cart-metrics'),
    ).toContainText('in sync');
    await expect(
      resources.getByRole('row').filter({ hasText: /missing|drifted/ }),
    ).toHaveCount(0);
    await expect(overview.getByText(/^(\d+) of \1 available$/)).toBeVisible();
    await expect(enable).toBeHidden();
    await expect(
      overview.getByRole('button', { name: 'Disable monitoring' }),
    ).toBeVisible();

    // One click, and cart is monitored: Prometheus scrapes its pod, and the tab lists it.
    await expect
      .poll(
        async () =>
          (await prometheusTargets(scrapePool)).map(t => t.health).join(','),
        { timeout: 60_000 },
      )
      .toBe('up');
    const targets = card(page, 'Targets');
    await expect(async () => {
      await targets.getByRole('button', { name: 'Refresh' }).click();
      await expect(
        targets.getByText('1 target: 1 up, 0 down, 0 unknown'),
      ).toBeVisible({
        timeout: 5_000,
      });
    }).toPass({ timeout: 60_000 });

    // The cluster agrees: cart's ServiceMonitor exists, marked as prometheus-ocs' and cart's.
    const serviceMonitor = await getKubernetesObject(serviceMonitorPath);
    expect(serviceMonitor.status).toBe(200);
    expect(serviceMonitor.body.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'prometheus-ocs',
      prometheus: 'k8s',
    });
    expect(
      serviceMonitor.body.metadata.annotations['prometheus-ocs.io/entity-ref'],
    ).toBe('component:default/cart');

    // The teardown confirmation names what would be removed (cancelled: cart stays enabled;
    // the next run's first step tears it down).
    await overview.getByRole('button', { name: 'Disable monitoring' }).click();
    const confirm = page.getByRole('dialog', {
      name: 'Disable monitoring for cart?',
    });
    const toRemove = confirm.getByRole('list', { name: 'Objects to remove' });
    await expect(toRemove).toContainText('Service shop-dev/cart-metrics');
    await expect(toRemove).toContainText('ServiceMonitor shop-dev/cart');
    await expect(
      confirm.getByRole('list', { name: 'Shared objects' }),
    ).toContainText('Prometheus shop-dev/k8s');
    await saveScreenshot(confirm, testInfo, 'monitoring-teardown');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
  });

  test('shows the overview and graphs of checkout', async ({
    page,
  }, testInfo) => {
    test.setTimeout(300_000);
    // Rates need two scrapes inside their window: on a just-started Prometheus the panels are
    // legitimately empty for a while, so wait until Prometheus has the data before judging the UI.
    const api = await MonitoringApiClient.asGuest();
    for (const query of ['up', 'request_rate', 'error_rate'] as const) {
      await expect(async () => {
        expect(
          (await api.queryRange('checkout', query)).series.length,
        ).toBeGreaterThan(0);
      }).toPass({ timeout: 120_000 });
    }

    await openMonitoringTab(page, 'checkout');
    const overview = card(page, 'Prometheus');
    // production: two replicas, all available; every generated object in sync
    await expect(overview.getByText('2 (highly available)')).toBeVisible();
    await expect(overview.getByText('2 of 2 available')).toBeVisible();
    const resources = page.getByRole('table', { name: 'Resources' });
    for (const [kind, name] of [
      ['Prometheus', 'shop-prod/k8s'],
      ['ServiceMonitor', 'shop-prod/checkout'],
      ['PrometheusRule', 'shop-prod/checkout'],
    ]) {
      await expect(objectRow(resources, kind, name)).toContainText('in sync');
    }
    await expect(
      resources.getByRole('row').filter({ hasText: /missing|drifted/ }),
    ).toHaveCount(0);
    await expect(
      overview.getByRole('link', { name: 'Prometheus UI' }),
    ).toHaveAttribute('href', 'http://localhost:9090');
    await expect(
      overview.getByRole('link', { name: 'Alertmanager UI' }),
    ).toHaveAttribute('href', 'http://localhost:9093');

    // Each graph draws a chart from Prometheus' data.
    const graphs = card(page, 'Graphs');
    for (const title of [
      'Targets up',
      'Request rate (per second)',
      'Error rate (per second)',
    ]) {
      await expect(
        graphs
          .getByRole('region', { name: title })
          .locator('svg.recharts-surface')
          .first(),
      ).toBeVisible();
    }
    // one "up" series per checkout pod
    const upLegend = graphs
      .getByRole('region', { name: 'Targets up' })
      .getByRole('listitem');
    await expect(upLegend).toHaveCount(2);
    await expect(upLegend.first()).toContainText(/^checkout-/);
    await expect(
      graphs.getByRole('button', { name: '1h', pressed: true }),
    ).toBeVisible();

    await saveScreenshot(page, testInfo, 'monitoring-tab', { fullPage: true });
    await saveScreenshot(overview, testInfo, 'monitoring-overview');
    await saveScreenshot(graphs, testInfo, 'monitoring-graphs');
  });

  test("lists payments' targets as Prometheus reports them: one up, one down", async ({
    page,
  }, testInfo) => {
    const scrapePool = 'serviceMonitor/shop-prod/payments/0';
    await openMonitoringTab(page, 'payments');
    const targets = card(page, 'Targets');

    // Compare with Prometheus' own API; a new scrape may change health in between, so retry
    // both sides together (refreshing the card) until they agree.
    await expect(async () => {
      const reported = await prometheusTargets(scrapePool);
      const count = (health: string) =>
        reported.filter(t => t.health === health).length;
      expect(count('up')).toBe(1);
      expect(count('down')).toBe(1);
      await targets.getByRole('button', { name: 'Refresh' }).click();
      await expect(
        targets.getByText(
          `${reported.length} targets: ${count('up')} up, ${count(
            'down',
          )} down, ${count('unknown')} unknown`,
        ),
      ).toBeVisible({ timeout: 10_000 });
      for (const target of reported) {
        const row = targets
          .getByRole('row')
          .filter({ hasText: target.scrapeUrl });
        await expect(row).toHaveCount(1);
        await expect(row.getByRole('cell').first()).toHaveText(target.health);
        await expect(row).toContainText(scrapePool);
        await expect(row).toContainText(`pod="${target.labels.pod}"`);
        if (target.health === 'down') {
          await expect(row).toContainText(/connection refused/);
        }
      }
    }).toPass({ timeout: 90_000 });
    await saveScreenshot(targets, testInfo, 'monitoring-targets');

    // The health filter keeps only the down target.
    await targets.getByRole('button', { name: 'Down (1)' }).click();
    const rows = targets.getByRole('row').filter({ hasText: 'http://' });
    await expect(rows).toHaveCount(1);
    await expect(rows.getByRole('cell').first()).toHaveText('down');
  });

  test("lists payments' firing alerts, read-only for a user of another team", async ({
    page,
  }, testInfo) => {
    const canSilence = waitForPermissionDecision(
      page,
      'monitoring.silence.create',
      'component:default/payments',
    );
    await openMonitoringTab(page, 'payments');
    expect(await canSilence).toBe('DENY');
    const alerts = card(page, 'Alerts');

    // The down target fires TargetDown; every alert Prometheus fires for payments is listed.
    await expect(async () => {
      const firing = (await prometheusAlerts())
        .filter(
          a =>
            a.state === 'firing' &&
            a.labels.namespace === 'shop-prod' &&
            a.labels.service === 'payments-metrics',
        )
        .map(a => a.labels.alertname);
      expect(firing).toContain('TargetDown');
      await alerts.getByRole('button', { name: 'Refresh' }).click();
      for (const name of firing) {
        const row = alerts.getByRole('row', {
          name: new RegExp(`\\b${name}\\b`),
        });
        await expect(row.getByRole('cell').first()).toHaveText('firing', {
          timeout: 10_000,
        });
      }
    }).toPass({ timeout: 120_000 });
    await expect(alerts.getByRole('row', { name: /TargetDown/ })).toContainText(
      'critical',
    );
    // not an owner: no silence actions
    await expect(alerts.getByRole('button', { name: /^Silence/ })).toHaveCount(
      0,
    );
    await expect(
      alerts.getByRole('columnheader', { name: 'Actions' }),
    ).toHaveCount(0);
    await saveScreenshot(alerts, testInfo, 'monitoring-alerts');
  });

  test("silences checkout's firing alert, Alertmanager agrees, and expires the silence", async ({
    page,
  }, testInfo) => {
    test.setTimeout(240_000);
    const alertname = 'CheckoutHighErrorRate';
    const alertLabels = { alertname, namespace: 'shop-prod' };
    // A marker at the end tells this test's silences from anybody else's.
    const marker = /\(e2e run [0-9a-z]+\)$/;
    const comment = `Known 5xx spike, fix in progress (e2e run ${Date.now().toString(
      36,
    )})`;
    const api = await MonitoringApiClient.asGuest();
    // Silences this test made and an earlier, interrupted run may have left behind.
    const expireOwnSilences = async () => {
      const { silences } = await api.alerts('checkout');
      for (const silence of silences) {
        if (marker.test(silence.comment) && silence.state !== 'expired') {
          await api.expireSilence('checkout', silence.id);
        }
      }
    };
    await expireOwnSilences();
    try {
      // The alert fires and reaches Alertmanager unsilenced (on a fresh environment after ~20 s).
      await expect(async () => {
        const [alert] = await alertmanagerAlerts(alertLabels);
        expect(alert?.status.state).toBe('active');
      }).toPass({ timeout: 120_000 });

      await openMonitoringTab(page, 'checkout');
      const alerts = card(page, 'Alerts');
      const row = alerts.getByRole('row', { name: new RegExp(alertname) });
      await expect(row.getByRole('cell').first()).toHaveText('firing');
      await expect(row).toContainText('active');

      // The silence dialog: a comment is required.
      await row.getByRole('button', { name: `Silence ${alertname}` }).click();
      const dialog = page.getByRole('dialog', { name: `Silence ${alertname}` });
      const submit = dialog.getByRole('button', {
        name: 'Silence',
        exact: true,
      });
      await expect(submit).toBeDisabled();
      await dialog.getByRole('button', { name: /^Duration/ }).click();
      await page
        .getByRole('option', { name: '30 minutes', exact: true })
        .click();
      await dialog.getByRole('textbox', { name: /^Comment/ }).fill(comment);
      await expect(submit).toBeEnabled();
      await saveScreenshot(dialog, testInfo, 'monitoring-silence-dialog');
      await submit.click();
      await expect(dialog).toBeHidden();

      // Shown silenced, with the silence listed as the guest's.
      await expect(row.getByText('silenced', { exact: true })).toBeVisible();
      await expect(
        row.getByRole('button', { name: 'Expire silence' }),
      ).toBeVisible();
      const silenceRow = alerts
        .getByRole('table', { name: 'Silences' })
        .getByRole('row')
        .filter({ hasText: comment });
      await expect(silenceRow).toContainText('user:default/guest');
      await expect(silenceRow).toContainText(`alertname="${alertname}"`);
      await expect(silenceRow).toContainText('active');

      // Alertmanager agrees: the alert is suppressed by a silence with this comment.
      let silenceId = '';
      await expect(async () => {
        const [alert] = await alertmanagerAlerts(alertLabels);
        expect(alert.status.state).toBe('suppressed');
        expect(alert.status.silencedBy).not.toHaveLength(0);
        const comments = await Promise.all(
          alert.status.silencedBy.map(async id => ({
            id,
            comment: (await alertmanagerSilence(id)).comment,
          })),
        );
        silenceId = comments.find(c => c.comment === comment)?.id ?? '';
        expect(silenceId).not.toBe('');
      }).toPass({ timeout: 30_000 });
      await saveScreenshot(alerts, testInfo, 'monitoring-silenced');

      // Expire it: active again, in the tab and in Alertmanager.
      await row.getByRole('button', { name: 'Expire silence' }).click();
      await expect(
        row.getByRole('button', { name: `Silence ${alertname}` }),
      ).toBeVisible();
      await expect(row.getByText('silenced', { exact: true })).toHaveCount(0);
      await expect(row).toContainText('active');
      await expect(
        alerts.getByRole('row').filter({ hasText: comment }),
      ).toHaveCount(0);
      await expect(async () => {
        expect((await alertmanagerSilence(silenceId)).status.state).toBe(
          'expired',
        );
        const [alert] = await alertmanagerAlerts(alertLabels);
        expect(alert.status.silencedBy).not.toContain(silenceId);
        expect(alert.status.state).toBe('active');
      }).toPass({ timeout: 30_000 });
    } finally {
      // Keep the test's own failure visible; a silence left behind is expired by the next run.
      await expireOwnSilences().catch(error =>
        testInfo.annotations.push({
          type: 'cleanup failed',
          description: String(error),
        }),
      );
    }
  });

  test('a user of another team sees no Enable button on inventory, and the API refuses to apply', async ({
    page,
  }, testInfo) => {
    // Start from "opted in, not applied". The guest may not tear inventory down, so objects an
    // earlier seed may have left go through the Kubernetes API.
    const serviceMonitorPath =
      '/apis/monitoring.coreos.com/v1/namespaces/shop-dev/servicemonitors/inventory';
    const servicePath =
      '/api/v1/namespaces/shop-dev/services/inventory-metrics';
    for (const path of [serviceMonitorPath, servicePath]) {
      await deleteEntityObject(path, 'component:default/inventory');
    }

    const canApply = waitForPermissionDecision(
      page,
      'monitoring.entity.apply',
      'component:default/inventory',
    );
    await openMonitoringTab(page, 'inventory');
    expect(await canApply).toBe('DENY');

    // Opted in, not applied: the overview without any action.
    const overview = card(page, 'Prometheus');
    await expect(
      overview.getByText(/resources have not been created in the cluster yet/),
    ).toBeVisible();
    await expect(
      objectRow(
        page.getByRole('table', { name: 'Resources' }),
        'ServiceMonitor',
        'shop-dev/inventory',
      ),
    ).toContainText('missing');
    await expect(
      page.getByRole('button', { name: 'Enable monitoring' }),
    ).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Sync' })).toHaveCount(0);
    await saveScreenshot(overview, testInfo, 'monitoring-not-owner');

    // The backend enforces the same: 403 for apply and teardown, nothing written.
    const api = await MonitoringApiClient.asGuest();
    for (const [method, path] of [
      ['POST', '/apply'],
      ['DELETE', ''],
    ]) {
      const response = await api.call(
        'inventory',
        path,
        method,
        method === 'POST' ? {} : undefined,
      );
      expect(response.status, `${method} ${path || '/'}`).toBe(403);
      expect((await response.json()).error.name).toBe('NotAllowedError');
    }
    for (const path of [serviceMonitorPath, servicePath]) {
      expect((await getKubernetesObject(path)).status, path).toBe(404);
    }
  });

  test('explains the opt-in on legacy-billing and previews its resources', async ({
    page,
  }, testInfo) => {
    // Not opted in and, for this view, not enabled from the tab either: an earlier run of the
    // tab's one-click enable on this portal may have applied it.
    const api = await MonitoringApiClient.asGuest();
    if (isApplied(await api.status('legacy-billing'))) {
      expect((await api.teardown('legacy-billing')).ok).toBe(true);
    }
    await openMonitoringTab(page, 'legacy-billing');
    await expect(
      page.getByRole('heading', { name: 'Monitoring is not enabled' }),
    ).toBeVisible();
    await expect(page.getByRole('code').first()).toContainText(
      'prometheus-ocs.io/enabled: "true"',
    );
    await saveScreenshot(page, testInfo, 'monitoring-not-opted-in');

    await page.getByRole('button', { name: 'Preview resources' }).click();
    const dialog = page.getByRole('dialog', {
      name: 'Resources for legacy-billing',
    });
    await expect(dialog.getByText(/Nothing has been written\./)).toBeVisible();
    await dialog.getByRole('button', { name: /^Object/ }).click();
    await page
      .getByRole('option', {
        name: 'ServiceMonitor shop-dev/legacy-billing',
        exact: true,
      })
      .click();
    // the YAML, not the inline annotation in the explanation above it
    await expect(
      dialog.getByRole('code').filter({ hasText: 'apiVersion:' }),
    ).toContainText('kind: ServiceMonitor');
    await saveScreenshot(dialog, testInfo, 'monitoring-preview');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
  });

  test('enables legacy-billing in one click without the opt-in annotation, then disables it', async ({
    page,
  }, testInfo) => {
    test.setTimeout(240_000);
    const api = await MonitoringApiClient.asGuest();
    if (isApplied(await api.status('legacy-billing'))) {
      expect((await api.teardown('legacy-billing')).ok).toBe(true);
    }
    const serviceMonitorPath =
      '/apis/monitoring.coreos.com/v1/namespaces/shop-dev/servicemonitors/legacy-billing';
    expect((await getKubernetesObject(serviceMonitorPath)).status).toBe(404);

    await openMonitoringTab(page, 'legacy-billing');
    await expect(
      page.getByRole('heading', { name: 'Monitoring is not enabled' }),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Enable monitoring' }).click();

    const dialog = page.getByRole('dialog', { name: 'Enable monitoring' });
    await expect(
      dialog.getByText('This entity has not opted in'),
    ).toBeVisible();
    const changes = dialog.getByRole('table', { name: 'Planned changes' });
    await expect(
      objectRow(changes, 'ServiceMonitor', 'shop-dev/legacy-billing'),
    ).toContainText('create');
    await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(dialog.getByText('Applied to cluster "local".')).toBeVisible({
      timeout: 60_000,
    });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();

    // Deployed without the annotation: the overview says so and recommends adding it.
    await expect(
      page.getByText('Monitoring is enabled without the opt-in annotation'),
    ).toBeVisible();
    const resources = page.getByRole('table', { name: 'Resources' });
    await expect(
      objectRow(resources, 'ServiceMonitor', 'shop-dev/legacy-billing'),
    ).toContainText('in sync');
    expect((await getKubernetesObject(serviceMonitorPath)).status).toBe(200);
    await saveScreenshot(page, testInfo, 'monitoring-enabled-without-opt-in');

    // Disable: the confirmation names the entity's objects; afterwards the cluster has none.
    await page.getByRole('button', { name: 'Disable monitoring' }).click();
    const confirm = page.getByRole('dialog', {
      name: 'Disable monitoring for legacy-billing?',
    });
    await expect(
      confirm.getByRole('list', { name: 'Objects to remove' }),
    ).toContainText('ServiceMonitor shop-dev/legacy-billing');
    await confirm.getByRole('button', { name: 'Disable monitoring' }).click();
    await expect(confirm.getByRole('button', { name: 'Close' })).toBeVisible({
      timeout: 60_000,
    });
    await confirm.getByRole('button', { name: 'Close' }).click();
    await expect(
      page.getByRole('heading', { name: 'Monitoring is not enabled' }),
    ).toBeVisible();
    expect((await getKubernetesObject(serviceMonitorPath)).status).toBe(404);
    // The namespace's shared Prometheus stays: other entities in shop-dev still use it.
    expect(
      (
        await getKubernetesObject(
          '/apis/monitoring.coreos.com/v1/namespaces/shop-dev/prometheuses/k8s',
        )
      ).status,
    ).toBe(200);
  });

  test("names search's invalid annotation and the rule it breaks", async ({
    page,
  }, testInfo) => {
    await openMonitoringTab(page, 'search');
    const problems = page
      .getByRole('alert')
      .filter({ hasText: 'Invalid monitoring annotation' });
    await expect(problems).toContainText('prometheus-ocs.io/interval');
    await expect(problems).toContainText('"5 minutes"');
    await expect(problems).toContainText(/must be a Prometheus duration/);
    await expect(
      page.getByRole('button', { name: 'Enable monitoring' }),
    ).toHaveCount(0);
    await saveScreenshot(page, testInfo, 'monitoring-invalid');
  });

  test('draws the targets of orders on the second cluster, demo-eks, and names that cluster', async ({
    page,
  }, testInfo) => {
    test.setTimeout(240_000);
    // demo-eks is registered in the catalog (examples/clusters.yaml) and reached with an EKS IAM
    // token through the Kubernetes plugin; local is a config cluster with a service account
    // token. orders is not seeded: enable it as its owner's team would (idempotent).
    const api = await MonitoringApiClient.asGuest();
    // The Kubernetes plugin lists demo-eks once the catalog has processed its Resource.
    await expect(async () => {
      const applied = await api.apply('orders');
      expect(applied.cluster).toBe('demo-eks');
      expect(applied.ok).toBe(true);
    }).toPass({ timeout: 120_000 });
    const scrapePool = 'serviceMonitor/shop-staging/orders/0';
    await expect
      .poll(
        async () =>
          (await prometheusTargets(scrapePool)).map(t => t.health).join(','),
        { timeout: 90_000 },
      )
      .toBe('up');

    await openMonitoringTab(page, 'orders');
    const overview = card(page, 'Prometheus');
    const clusterField = overview
      .locator('.MuiGrid-item')
      .filter({ has: page.getByText('Cluster', { exact: true }) });
    await expect(clusterField).toContainText('demo-eks');

    // The targets as Prometheus reports them, read through demo-eks' service proxy.
    const targets = card(page, 'Targets');
    await expect(async () => {
      const [reported] = await prometheusTargets(scrapePool);
      await targets.getByRole('button', { name: 'Refresh' }).click();
      await expect(
        targets.getByText('1 target: 1 up, 0 down, 0 unknown'),
      ).toBeVisible({ timeout: 10_000 });
      const row = targets
        .getByRole('row')
        .filter({ hasText: reported.scrapeUrl });
      await expect(row).toHaveCount(1);
      await expect(row.getByRole('cell').first()).toHaveText('up');
      await expect(row).toContainText(scrapePool);
      await expect(row).toContainText('pod="orders-6b7f9c4d8-r2t5v"');
    }).toPass({ timeout: 90_000 });
    await saveScreenshot(overview, testInfo, 'monitoring-second-cluster');
    await saveScreenshot(
      targets,
      testInfo,
      'monitoring-second-cluster-targets',
    );
  });
});
