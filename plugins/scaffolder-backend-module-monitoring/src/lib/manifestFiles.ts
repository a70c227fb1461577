import { InputError } from '@backstage/errors';
import { KubeObject, toYaml } from '@prometheus-ocs/plugin-monitoring-common';
import { posix } from 'node:path';

/** How monitoring:render lays the manifests out. */
export type ManifestLayout = 'single-file' | 'file-per-object';

export const DEFAULT_MANIFEST_TARGET_PATH = 'monitoring';
export const DEFAULT_MANIFEST_FILE_NAME = 'manifests.yaml';

/** One file to write: workspace-relative POSIX path and content. */
export interface ManifestFile {
  path: string;
  content: string;
  objects: KubeObject[];
}

/**
 * File name of one object in the `file-per-object` layout: `<kind>-<name>.yaml`, lower case.
 * All objects of one render share a namespace, and kind + name is unique within it, so names
 * never collide and are the same on every run (a re-render overwrites, never duplicates).
 */
export function manifestFileName(object: KubeObject): string {
  return `${object.kind.toLocaleLowerCase('en-US')}-${
    object.metadata.name
  }.yaml`;
}

function checkFileName(fileName: string): void {
  if (
    fileName.length === 0 ||
    fileName.includes('/') ||
    fileName.includes('\\') ||
    fileName === '.' ||
    fileName === '..'
  ) {
    throw new InputError(
      `fileName must be a plain file name without directories, got ${JSON.stringify(
        fileName,
      )}`,
    );
  }
}

/** Lays rendered objects out as files under `targetPath`, in the renderer's order. */
export function layoutManifests(
  objects: KubeObject[],
  options: { targetPath: string; layout: ManifestLayout; fileName: string },
): ManifestFile[] {
  const dir = posix.normalize(options.targetPath.replace(/\\/g, '/'));
  if (options.layout === 'single-file') {
    checkFileName(options.fileName);
    return [
      {
        path: posix.join(dir, options.fileName),
        content: toYaml(objects),
        objects,
      },
    ];
  }
  return objects.map(object => ({
    path: posix.join(dir, manifestFileName(object)),
    content: toYaml([object]),
    objects: [object],
  }));
}
