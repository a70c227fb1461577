/*
 * Validates core Kubernetes objects (Service, Secret, RoleBinding, ...) with the OpenAPI schemas of
 * `kubernetes-models`, plus the ObjectMeta rules of the API server. Test-only.
 * Note: like the API server's default (pruning), kubernetes-models does not reject unknown fields;
 * tests that care assert the exact field set themselves.
 *
 * kubernetes-models (and its @kubernetes-models/* dependencies) are ESM-only with just an `import`
 * export condition, which Jest's CommonJS module system cannot resolve. The model files are therefore
 * loaded with Node's own `require` (Node 22 can require synchronous ES modules), by absolute path.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  checkDns1123Label,
  checkDns1123Subdomain,
  checkLabelKey,
  checkLabelValue,
} from '../kubernetesNames';

interface ModelClass {
  new (data: unknown): { validate(): void };
}

function findPackageDirectory(name: string): string {
  for (const from of [process.cwd(), __dirname]) {
    let dir = path.resolve(from);
    for (;;) {
      const candidate = path.join(dir, 'node_modules', name);
      if (fs.existsSync(path.join(candidate, 'package.json'))) {
        return candidate;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(
    `Package ${name} not found in any node_modules above ${process.cwd()}`,
  );
}

let modelsDirectory: string | undefined;
const modelCache = new Map<string, ModelClass>();

function loadModel(apiVersion: string, kind: string): ModelClass {
  const key = `${apiVersion}/${kind}`;
  const cached = modelCache.get(key);
  if (cached) return cached;
  if (
    !/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) ||
    !/^[A-Z][A-Za-z0-9]*$/.test(kind)
  ) {
    throw new Error(`Not a Kubernetes apiVersion/kind: ${key}`);
  }
  modelsDirectory ??= findPackageDirectory('kubernetes-models');
  const file = path.join(modelsDirectory, apiVersion, `${kind}.js`);
  if (!fs.existsSync(file)) {
    throw new Error(`kubernetes-models has no model for ${key}`);
  }
  // process.getBuiltinModule gives Node's real `module`; Jest replaces `createRequire` when imported.
  const { createRequire } = process.getBuiltinModule('node:module');
  const nativeRequire = createRequire(file);
  const model = (nativeRequire(file) as Record<string, ModelClass>)[kind];
  modelCache.set(key, model);
  return model;
}

/** The API server's ObjectMeta checks: name, namespace, label keys/values, annotation keys. */
export function checkObjectMeta(metadata: unknown): string[] {
  if (metadata === null || typeof metadata !== 'object') {
    return ['/metadata: must be an object'];
  }
  const m = metadata as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof m.name !== 'string') {
    problems.push('/metadata/name: is required');
  } else if (checkDns1123Subdomain(m.name)) {
    problems.push(`/metadata/name: ${checkDns1123Subdomain(m.name)}`);
  }
  if (m.namespace !== undefined) {
    const problem =
      typeof m.namespace === 'string'
        ? checkDns1123Label(m.namespace)
        : 'must be a string';
    if (problem) problems.push(`/metadata/namespace: ${problem}`);
  }
  for (const field of ['labels', 'annotations'] as const) {
    const map = m[field];
    if (map === undefined) continue;
    if (map === null || typeof map !== 'object' || Array.isArray(map)) {
      problems.push(`/metadata/${field}: must be a map of strings`);
      continue;
    }
    for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
      const keyProblem = checkLabelKey(key);
      if (keyProblem) problems.push(`/metadata/${field}/${key}: ${keyProblem}`);
      if (typeof value !== 'string') {
        problems.push(`/metadata/${field}/${key}: must be a string`);
      } else if (field === 'labels' && checkLabelValue(value)) {
        problems.push(`/metadata/labels/${key}: ${checkLabelValue(value)}`);
      }
    }
  }
  return problems;
}

/**
 * Every problem of a core Kubernetes object by its kubernetes-models schema and the ObjectMeta
 * rules; empty when valid. Throws for kinds kubernetes-models does not know.
 */
export function validateKubernetesObject(object: {
  apiVersion: string;
  kind: string;
  metadata?: unknown;
}): string[] {
  const Model = loadModel(object.apiVersion, object.kind);
  const problems = checkObjectMeta(object.metadata);
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(String((error as Error).message));
  }
  return problems;
}
