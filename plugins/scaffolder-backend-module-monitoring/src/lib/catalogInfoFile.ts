import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import {
  Entity,
  DEFAULT_NAMESPACE,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { readFile, writeFile } from 'node:fs/promises';
import { Document, isMap, parseAllDocuments } from 'yaml';

/** The catalog descriptor file in a scaffolder workspace, parsed for in-place editing. */
export interface CatalogInfoFile {
  /** Path relative to the workspace, as given by the template. */
  path: string;
  /** Absolute path inside the workspace. */
  absolutePath: string;
  /** Every YAML document of the file, comments and formatting included. */
  documents: Document.Parsed[];
}

/** One entity of a {@link CatalogInfoFile}. */
export interface CatalogInfoEntity {
  /** The YAML document holding it; edits to it are what {@link writeCatalogInfoFile} writes back. */
  document: Document.Parsed;
  /** Plain-object view of the document at the time it was selected. */
  entity: Entity;
  entityRef: string;
}

/** Which entity of a multi-document file to use. */
export interface EntitySelector {
  /** Entity kind, case-insensitive. */
  kind?: string;
  /** `metadata.name`, exact. */
  name?: string;
}

const MAX_CATALOG_INFO_BYTES = 1024 * 1024;

/**
 * Reads and parses a catalog descriptor from the workspace.
 *
 * @throws InputError when the path leaves the workspace, the file is missing or too large, or the
 *   YAML does not parse (the message gives the line).
 */
export async function readCatalogInfoFile(
  workspacePath: string,
  path: string,
): Promise<CatalogInfoFile> {
  // resolveSafeChildPath throws NotAllowedError for paths escaping the workspace (also via symlinks).
  const absolutePath = resolveSafeChildPath(workspacePath, path);
  let text: string;
  try {
    text = await readFile(absolutePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError(`${path} does not exist in the workspace`);
    }
    throw error;
  }
  if (Buffer.byteLength(text) > MAX_CATALOG_INFO_BYTES) {
    throw new InputError(
      `${path} is larger than ${MAX_CATALOG_INFO_BYTES} bytes; that is not a catalog descriptor`,
    );
  }
  const documents = parseAllDocuments(text, { prettyErrors: true });
  if (!Array.isArray(documents) || documents.length === 0) {
    // parseAllDocuments returns [] (or an EmptyStream) for a file without any document.
    throw new InputError(`${path} holds no YAML document`);
  }
  for (const document of documents) {
    if (document.errors.length > 0) {
      throw new InputError(
        `${path} is not valid YAML: ${document.errors[0].message}`,
      );
    }
  }
  return { path, absolutePath, documents };
}

/** Writes the (edited) documents back, keeping comments and the formatting of untouched nodes. */
export async function writeCatalogInfoFile(
  file: CatalogInfoFile,
): Promise<void> {
  // lineWidth 0: never re-fold long existing lines (descriptions, PromQL) on the way out.
  const text = file.documents
    .map(document => document.toString({ lineWidth: 0 }))
    .join('');
  await writeFile(file.absolutePath, text, 'utf8');
}

function describeEntity(document: Document.Parsed): string | undefined {
  if (!isMap(document.contents)) {
    return undefined;
  }
  const kind = document.get('kind');
  const name = document.getIn(['metadata', 'name']);
  if (typeof kind !== 'string' || typeof name !== 'string') {
    return undefined;
  }
  const namespace = document.getIn(['metadata', 'namespace']);
  return stringifyEntityRef({
    kind,
    name,
    namespace: typeof namespace === 'string' ? namespace : DEFAULT_NAMESPACE,
  });
}

/**
 * Picks one entity from the file: the one matching `selector`, or, without a selector, the only
 * Component. Ambiguity is an error rather than a guess, since the result gets written back.
 */
export function selectCatalogInfoEntity(
  file: CatalogInfoFile,
  selector: EntitySelector = {},
): CatalogInfoEntity {
  const entities = file.documents.flatMap(document => {
    const entityRef = describeEntity(document);
    return entityRef ? [{ document, entityRef }] : [];
  });
  const kindText = selector.kind ?? (selector.name ? undefined : 'Component');
  const wantedKind = kindText?.toLocaleLowerCase('en-US');
  const matches = entities.filter(({ document }) => {
    const kind = String(document.get('kind')).toLocaleLowerCase('en-US');
    const name = document.getIn(['metadata', 'name']);
    return (
      (wantedKind === undefined || kind === wantedKind) &&
      (selector.name === undefined || name === selector.name)
    );
  });
  const wanted = [
    kindText ? `of kind ${kindText}` : undefined,
    selector.name ? `named '${selector.name}'` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  const found = entities.length
    ? entities.map(e => e.entityRef).join(', ')
    : 'no entity';
  if (matches.length === 0) {
    throw new InputError(
      `${file.path} has no entity ${wanted} (found: ${found})`,
    );
  }
  if (matches.length > 1) {
    throw new InputError(
      `${file.path} has several entities ${wanted} (${matches
        .map(m => m.entityRef)
        .join(', ')}); set entityKind and entityName to choose one`,
    );
  }
  const [{ document, entityRef }] = matches;
  return { document, entity: document.toJS() as Entity, entityRef };
}
