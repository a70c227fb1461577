import { InputError, NotAllowedError } from '@backstage/errors';
import {
  MonitoringSettings,
  SilenceInfo,
} from '@prometheus-ocs/plugin-monitoring-common';
import { z } from 'zod';
import { AlertmanagerMatcher } from './AlertmanagerApi';
import { entityScope } from './entityScope';
import { isEntitySilence, toSilenceInfo } from './getEntityAlerts';
import { alertmanagerUpstream, ObserveContext } from './ObserveContext';

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
  })
  .strict()
  .refine(b => (b.durationMinutes === undefined) !== (b.endsAt === undefined), {
    message: 'give exactly one of durationMinutes and endsAt',
  });

export type CreateSilenceBody = z.infer<typeof createSilenceRequestSchema>;

function alertmanagerFor(ctx: ObserveContext, settings: MonitoringSettings) {
  const upstream = alertmanagerUpstream(ctx, settings);
  if (!upstream) {
    throw new InputError(
      `No Alertmanager is configured for cluster '${settings.cluster}' (monitoring.defaults.alertmanager or monitoring.clusters[].alertmanager)`,
    );
  }
  return upstream;
}

/**
 * Creates a silence whose matchers are pinned to the entity's labels (namespace + Service, or
 * Roadie's labels), optionally narrowed to one alert. Callers cannot pass other matchers, so a
 * silence created here can never mute another entity's alerts.
 */
export async function createEntitySilence(
  ctx: ObserveContext,
  settings: MonitoringSettings,
  body: CreateSilenceBody,
  createdBy: string,
  now: Date = new Date(),
): Promise<SilenceInfo> {
  const upstream = alertmanagerFor(ctx, settings);
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
  return toSilenceInfo({ id, ...silence, status: { state: 'active' } });
}

/** Expires a silence, but only one pinned to this entity. */
export async function expireEntitySilence(
  ctx: ObserveContext,
  settings: MonitoringSettings,
  id: string,
): Promise<SilenceInfo> {
  const upstream = alertmanagerFor(ctx, settings);
  const scope = entityScope(settings);
  const silence = await ctx.alertmanager.getSilence(upstream, id);
  if (!isEntitySilence(silence, scope)) {
    throw new NotAllowedError(
      `Silence '${id}' is not pinned to ${settings.entityRef} (${Object.entries(
        scope.alertMatchers,
      )
        .map(([k, v]) => `${k}="${v}"`)
        .join(', ')}) and cannot be expired from here`,
    );
  }
  await ctx.alertmanager.expireSilence(upstream, scope.namespace, id);
  return toSilenceInfo({ ...silence, status: { state: 'expired' } });
}
