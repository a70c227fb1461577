import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type {
  AnnotationProblem,
  MonitoringSettings,
  RenderOptions,
} from './contract';
import { generatedNames } from './generatedNames';
import { ProblemCollector } from './annotationParsing/ProblemCollector';
import { readMonitoringTarget } from './annotationParsing/readMonitoringTarget';
import { readScrapeSettings } from './annotationParsing/readScrapeSettings';
import { readPrometheusNeeds } from './annotationParsing/readPrometheusNeeds';
import { readAlertSettings } from './annotationParsing/readAlertSettings';

/**
 * Result of {@link parseMonitoringAnnotations}: settings when there are no problems, and every problem.
 *
 * @public
 */
export interface ParsedMonitoringAnnotations {
  settings?: MonitoringSettings;
  problems: AnnotationProblem[];
}

/**
 * Reads and validates every monitoring annotation of an entity (the contract in
 * docs/annotations.md), resolving defaults from the render options.
 *
 * All problems are collected, never only the first. `settings` is returned only when there are no
 * problems. Entities that did not opt in are validated the same way and get `enabled: false`, so a
 * preview can show what opting in would do; use {@link isMonitoringEnabled} to skip them cheaply.
 * An annotated cluster must be one of `monitoring.clusters`; whether the entity's namespace is
 * allowed there is a policy decision made by the renderer, not here.
 *
 * @public
 */
export function parseMonitoringAnnotations(
  entity: Entity,
  options: RenderOptions,
): ParsedMonitoringAnnotations {
  const annotations: Record<string, unknown> =
    (entity.metadata?.annotations as Record<string, unknown> | undefined) ?? {};
  const p = new ProblemCollector(annotations);
  const defaults = options.defaults;

  const target = readMonitoringTarget(entity, options, p);
  const scrape = readScrapeSettings(defaults.scrapeInterval, p);
  const needs = readPrometheusNeeds(entity, defaults, p);
  const alerts = readAlertSettings({ ...target, instance: needs.instance }, p);
  const { enabled, cluster, namespace, kubernetesId, podSelector } = target;
  const { port, path, interval } = scrape;
  const { instance, replicas, retention } = needs;
  const { alertRules, alertNames, alertLabels } = alerts;

  if (p.problems.length > 0 || !podSelector) {
    return { problems: p.problems };
  }

  const names = generatedNames({
    kubernetesId,
    instance,
    withPrometheusRule: alertRules !== undefined,
  });
  const settings: MonitoringSettings = {
    entityRef: stringifyEntityRef(entity),
    enabled,
    cluster,
    namespace,
    kubernetesId,
    podSelector,
    port,
    path,
    interval,
    instance,
    replicas,
    retention,
    alertNames,
    alertLabels,
    names,
    scrapePools: [`serviceMonitor/${namespace}/${names.serviceMonitor}/0`],
    alertMatchers: { namespace, service: names.service },
  };
  if (alertRules) {
    settings.alertRules = alertRules;
  }
  return { settings, problems: [] };
}
