import fs from 'node:fs';
import type { Entity } from '@backstage/catalog-model';
import { parseAllDocuments } from 'yaml';

/** Result of {@link readEntityFile}: entities in file order, notes about skipped documents, errors. */
export interface EntityFileContents {
  entities: Entity[];
  notes: string[];
  errors: string[];
}

/**
 * Reads a catalog-info.yaml with one or more YAML documents. Documents that are not Backstage
 * entities (another apiVersion) are skipped with a note; malformed entities are errors.
 */
export function readEntityFile(file: string): EntityFileContents {
  const result: EntityFileContents = { entities: [], notes: [], errors: [] };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    result.errors.push(`Cannot read ${file}: ${(error as Error).message}`);
    return result;
  }
  const docs = parseAllDocuments(text, { prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, index) => {
    const where = `${file}: document ${index + 1}`;
    if (doc.errors.length > 0) {
      result.errors.push(
        `${where} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`,
      );
      return;
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      result.errors.push(
        `${where} cannot be read: ${(error as Error).message}`,
      );
      return;
    }
    if (data === null || data === undefined) {
      return;
    }
    if (typeof data !== 'object' || Array.isArray(data)) {
      result.errors.push(
        `${where} must be a YAML mapping (a Backstage entity)`,
      );
      return;
    }
    const entity = data as Partial<Entity>;
    if (
      typeof entity.apiVersion !== 'string' ||
      !entity.apiVersion.startsWith('backstage.io/')
    ) {
      result.notes.push(
        `${where} skipped: apiVersion ${JSON.stringify(
          entity.apiVersion ?? null,
        )} is not a Backstage entity`,
      );
      return;
    }
    if (
      typeof entity.kind !== 'string' ||
      !entity.metadata ||
      typeof entity.metadata !== 'object' ||
      typeof entity.metadata.name !== 'string' ||
      (entity.metadata.annotations !== undefined &&
        (typeof entity.metadata.annotations !== 'object' ||
          Array.isArray(entity.metadata.annotations)))
    ) {
      result.errors.push(
        `${where} is not a valid entity: it needs kind, metadata.name and optional metadata.annotations as a mapping`,
      );
      return;
    }
    result.entities.push(entity as Entity);
  });
  return result;
}
