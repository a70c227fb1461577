import {
  DEFAULT_NAMESPACE,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  readCatalogInfoFile,
  selectCatalogInfoEntity,
} from './catalogInfoFile';

/** Default workspace path of the catalog descriptor, as written by most skeletons. */
export const DEFAULT_CATALOG_INFO_PATH = 'catalog-info.yaml';

/** Inputs shared by monitoring:render and monitoring:apply to say which entity to use. */
export interface EntitySourceInput {
  /** An entity object (e.g. the output of `catalog:fetch`); wins over `catalogInfoPath`. */
  entity?: Record<string, unknown>;
  catalogInfoPath?: string;
  entityKind?: string;
  entityName?: string;
}

/** The entity an action works on and where it came from (for messages). */
export interface LoadedEntity {
  entity: Entity;
  entityRef: string;
  source: string;
}

function checkEntityShape(value: Record<string, unknown>): Entity {
  const metadata = value.metadata as Record<string, unknown> | undefined;
  if (
    typeof value.apiVersion !== 'string' ||
    typeof value.kind !== 'string' ||
    typeof metadata !== 'object' ||
    metadata === null ||
    typeof metadata.name !== 'string'
  ) {
    throw new InputError(
      'The entity input must be a catalog entity with apiVersion, kind and metadata.name',
    );
  }
  return value as unknown as Entity;
}

/**
 * Loads the entity named by the action's input: the `entity` object when given, else the entity
 * selected from the workspace's catalog descriptor.
 */
export async function loadEntity(
  workspacePath: string,
  input: EntitySourceInput,
): Promise<LoadedEntity> {
  if (input.entity) {
    const entity = checkEntityShape(input.entity);
    const entityRef = stringifyEntityRef({
      kind: entity.kind,
      namespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
      name: entity.metadata.name,
    });
    return { entity, entityRef, source: 'the entity input' };
  }
  const path = input.catalogInfoPath || DEFAULT_CATALOG_INFO_PATH;
  const file = await readCatalogInfoFile(workspacePath, path);
  const { entity, entityRef } = selectCatalogInfoEntity(file, {
    kind: input.entityKind || undefined,
    name: input.entityName || undefined,
  });
  return { entity, entityRef, source: path };
}
