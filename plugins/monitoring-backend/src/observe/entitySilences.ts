import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  MonitoringSettings,
  SilenceInfo,
} from '@prometheus-ocs/plugin-monitoring-common';
import { z } from 'zod';
import { AlertmanagerMatcher, AlertmanagerSilence } from './AlertmanagerApi';
import { EntityScope, entityScope } from './entityScope';
import { toSilenceInfo } from './getEntityAlerts';
import {
  firstAlertmanager,
  ObserveContext,
  upstreamsIn,
} from './ObserveContext';
import { Upstream } from '../upstream/UpstreamClient';

/** Longest silence the plugin creates; longer ones belong in Alertmanager's own tooling. */
export const MAX_SILENCE_MINUTES = 30 * 24 * 60;

const ALERT_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export const createSilenceRequestSchema = z
  .object({
    durationMinutes: z
      .number()
      .int()
      .min(1)
      .max(MAX_SILENCE_MINUTES)
      .optional(),
    endsAt: z.string().datetime({ offset: true }).optional(),
    comment: z.string().trim().min(1).max(1000),
    alertname: z.string().regex(ALERT_NAME).max(200).optional(),
    cluster: z.string().min(1).max(253).optional(),
  })
  .strict()
  .refine(b => (b.durationMinutes === undefined) !== (b.endsAt === undefined), {
    message: 'give exactly one of durationMinutes and endsAt',
  });

export type CreateSilenceBody = z.infer<typeof createSilenceRequestSchema>;

function alertmanagerFor(
  ctx: ObserveContext,
  settings: MonitoringSettings,
  cluster = settings.cluster,
) {
  const upstream = firstAlertmanager(ctx, settings, cluster);
  if (!upstream) {
    throw new InputError(
      `No Alertmanager is configured for cluster '${cluster}' (monitoring.defaults.alertmanager or monitoring.clusters[].alertmanager)`,
    );
  }
  return upstream;
}

/** The 409 for silences of an entity whose objects are bound to it nowhere. */
function notEnabled(settings: MonitoringSettings, cluster?: string) {
  return new ConflictError(
    `Monitoring of ${settings.entityRef} is not enabled${
      cluster ? ` in cluster '${cluster}'` : ''
    } (no ServiceMonitor ${settings.namespace}/${
      settings.names.serviceMonitor
    } bound to it), so it has no alerts to silence`,
  );
}

/**
 * The clusters whose Alertmanagers hold the entity's silences: those where its objects are bound
 * to it (409 when bound to another entity, or bound nowhere).
 */
async function boundClusters(
  ctx: ObserveContext,
  settings: MonitoringSettings,
): Promise<string[]> {
  const { clusters } = await ctx.clusters.forEntity(settings);
  if (clusters.length === 0) throw notEnabled(settings);
  return clusters;
}

/**
 * Creates a silence whose matchers are pinned to the entity's labels (namespace + Service,
 * narrowed by Roadie's labels), optionally narrowed to one alert. Callers cannot pass other
 * matchers, so a silence created here can never mute another entity's alerts. Only an entity
 * bound to its objects may silence (see ObservedClusters). It is created in the first
 * Alertmanager of the entity's own cluster, or of `body.cluster` when that is one of the
 * clusters the entity is read from (to silence an alert seen there).
 */
export async function createEntitySilence(
  ctx: ObserveContext,
  settings: MonitoringSettings,
  body: CreateSilenceBody,
  createdBy: string,
  now: Date = new Date(),
): Promise<SilenceInfo> {
  // Only clusters the entity's alerts are read from: a caller cannot pick any Alertmanager.
  const clusters = await boundClusters(ctx, settings);
  if (body.cluster !== undefined && !clusters.includes(body.cluster)) {
    throw new InputError(
      `cluster '${body.cluster}' is not one ${
        settings.entityRef
      } is monitored in (${clusters.join(', ')})`,
    );
  }
  if (body.cluster === undefined && !clusters.includes(settings.cluster)) {
    throw notEnabled(settings, settings.cluster);
  }
  const upstream = alertmanagerFor(ctx, settings, body.cluster);
  const scope = entityScope(settings);
  const endsAt = body.endsAt
    ? new Date(body.endsAt)
    : new Date(now.getTime() + body.durationMinutes! * 60_000);
  if (endsAt.getTime() <= now.getTime()) {
    throw new InputError('endsAt must be in the future');
  }
  if (endsAt.getTime() - now.getTime() > MAX_SILENCE_MINUTES * 60_000) {
    throw new InputError(
      `a silence may last at most ${MAX_SILENCE_MINUTES / 1440} days`,
    );
  }
  const labels: Record<string, string> = { ...scope.alertMatchers };
  if (body.alertname) labels.alertname = body.alertname;
  const matchers: AlertmanagerMatcher[] = Object.keys(labels)
    .sort()
    .map(name => ({
      name,
      value: labels[name],
      isRegex: false,
      isEqual: true,
    }));
  const silence = {
    matchers,
    startsAt: now.toISOString(),
    endsAt: endsAt.toISOString(),
    createdBy,
    comment: body.comment,
  };
  const id = await ctx.alertmanager.createSilence(
    upstream,
    scope.namespace,
    silence,
  );
  return {
    ...toSilenceInfo({ id, ...silence, status: { state: 'active' } }),
    cluster: upstream.cluster,
  };
}

/**
 * Whether the silence is the entity's own: exactly the equality matchers a silence created here
 * has (the entity's scope, optionally one alert name) — not merely one that also matches the
 * entity's alerts. A silence another team made with wider or other matchers is never expired
 * from an entity page.
 */
export function isOwnSilence(
  silence: Pick<AlertmanagerSilence, 'matchers'>,
  scope: EntityScope,
): boolean {
  const wanted = scope.alertMatchers;
  const names = new Set<string>();
  for (const m of silence.matchers) {
    if (m.isRegex || m.isEqual === false || names.has(m.name)) return false;
    names.add(m.name);
    if (m.name === 'alertname' && !('alertname' in wanted)) continue;
    if (wanted[m.name] !== m.value) return false;
  }
  return Object.keys(wanted).every(name => names.has(name));
}

/**
 * Finds a silence by id in the Alertmanagers of the clusters where the entity is bound (home
 * cluster first): silences listed from any of them can be expired.
 */
async function findSilence(
  ctx: ObserveContext,
  settings: MonitoringSettings,
  id: string,
): Promise<{ upstream: Upstream; silence: AlertmanagerSilence }> {
  const clusters = await boundClusters(ctx, settings);
  const lookIn = async (upstream: Upstream) => {
    try {
      return await ctx.alertmanager.getSilence(upstream, id);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  };
  for (const upstream of upstreamsIn(ctx, settings, clusters).alertmanager) {
    const silence = await lookIn(upstream);
    if (silence) return { upstream, silence };
  }
  throw new NotFoundError(`Silence '${id}' not found`);
}

/** Expires a silence, but only one that is the entity's own (see isOwnSilence). */
export async function expireEntitySilence(
  ctx: ObserveContext,
  settings: MonitoringSettings,
  id: string,
): Promise<SilenceInfo> {
  const scope = entityScope(settings);
  const { upstream, silence } = await findSilence(ctx, settings, id);
  if (!isOwnSilence(silence, scope)) {
    throw new NotAllowedError(
      `Silence '${id}' is not pinned to ${settings.entityRef} (${Object.entries(
        scope.alertMatchers,
      )
        .map(([k, v]) => `${k}="${v}"`)
        .join(', ')}) and cannot be expired from here`,
    );
  }
  await ctx.alertmanager.expireSilence(upstream, scope.namespace, id);
  return {
    ...toSilenceInfo({ ...silence, status: { state: 'expired' } }),
    cluster: upstream.cluster,
  };
}
