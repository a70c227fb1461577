import type { TemplateActionOptions } from '@backstage/plugin-scaffolder-node';
import { DEFAULT_CATALOG_INFO_PATH } from './loadEntity';

/**
 * The zod instance the scaffolder passes to schema callbacks, taken from its own types so the
 * callbacks below match whichever zod copy @backstage/plugin-scaffolder-node resolves.
 */
type Zod = Parameters<
  NonNullable<NonNullable<TemplateActionOptions['schema']>['input']>[string]
>[0];

// Spelled out so that the exported type only names zod through the scaffolder's own types.
type OptionalString = ReturnType<ReturnType<Zod['string']>['optional']>;
type OptionalRecord = ReturnType<ReturnType<Zod['record']>['optional']>;

/** Inputs of monitoring:render and monitoring:apply that say which entity to use (see loadEntity). */
export const entitySourceInputSchema: {
  entity: (z: Zod) => OptionalRecord;
  catalogInfoPath: (z: Zod) => OptionalString;
  entityKind: (z: Zod) => OptionalString;
  entityName: (z: Zod) => OptionalString;
} = {
  entity: (z: Zod) =>
    z
      .record(z.unknown())
      .optional()
      .describe(
        'An entity object, e.g. the output of catalog:fetch. When set, the workspace descriptor is not read',
      ),
  catalogInfoPath: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        `Workspace path of the catalog descriptor. Default: ${DEFAULT_CATALOG_INFO_PATH}`,
      ),
  entityKind: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'Kind of the entity when the descriptor holds several. Default: the only Component',
      ),
  entityName: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'metadata.name of the entity when the descriptor holds several',
      ),
};
