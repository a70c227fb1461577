import { LoggerService } from '@backstage/backend-plugin-api';
import {
  InvalidAnnotationsError,
  renderMonitoringResources,
  RenderOptions,
  RenderResult,
} from '@prometheus-ocs/plugin-monitoring-common';
import { LoadedEntity } from './loadEntity';
import { logProblems } from './logProblems';

/**
 * Renders the entity's resources with the common renderer. Invalid annotations are logged one per
 * line (naming each annotation) before the error fails the step; a namespace that configuration
 * does not allow fails it with the renderer's NotAllowedError.
 */
export function renderEntity(
  loaded: LoadedEntity,
  renderOptions: RenderOptions,
  logger: LoggerService,
): RenderResult {
  try {
    return renderMonitoringResources(loaded.entity, renderOptions);
  } catch (error) {
    if (error instanceof InvalidAnnotationsError) {
      logProblems(
        logger,
        `${loaded.source} (${loaded.entityRef})`,
        error.problems,
      );
    }
    throw error;
  }
}
