/*
 * The stand-in's "etcd": objects by group/resource/namespace/name and the global
 * resourceVersion counter. Kept in memory; when a state file is configured every write is also
 * persisted (atomically: temp file + rename) so the dev portal keeps its objects across restarts.
 */
import fs from 'node:fs';
import path from 'node:path';

export type KubeObject = Record<string, any>;

export interface ObjectKey {
  group: string;
  resource: string;
  /** '' for cluster-scoped objects */
  namespace: string;
  name: string;
}

interface StateFile {
  version: 1;
  resourceVersion: number;
  objects: Array<{ group: string; resource: string; object: KubeObject }>;
}

function keyString(k: ObjectKey): string {
  return `${k.group}|${k.resource}|${k.namespace}|${k.name}`;
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export class ObjectStore {
  private objects = new Map<
    string,
    { group: string; resource: string; object: KubeObject }
  >();
  private resourceVersion = 0;

  constructor(private readonly stateFile?: string) {
    if (stateFile && fs.existsSync(stateFile)) this.load(stateFile);
  }

  /** True when the store was restored from a non-empty state file. */
  get restored(): boolean {
    return this.objects.size > 0;
  }

  private load(file: string): void {
    let parsed: StateFile;
    try {
      parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as StateFile;
    } catch (e) {
      throw new Error(
        `cannot read stand-in state file ${file}: ${(e as Error).message}`,
      );
    }
    if (parsed.version !== 1 || !Array.isArray(parsed.objects)) {
      throw new Error(
        `stand-in state file ${file} has an unknown format (expected version 1)`,
      );
    }
    this.resourceVersion = parsed.resourceVersion;
    for (const entry of parsed.objects) {
      const meta = entry.object.metadata ?? {};
      this.objects.set(
        keyString({
          group: entry.group,
          resource: entry.resource,
          namespace: meta.namespace ?? '',
          name: meta.name,
        }),
        entry,
      );
    }
  }

  private persist(): void {
    if (!this.stateFile) return;
    const data: StateFile = {
      version: 1,
      resourceVersion: this.resourceVersion,
      objects: [...this.objects.values()],
    };
    fs.mkdirSync(path.dirname(this.stateFile), { recursive: true });
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(data));
    fs.renameSync(tmp, this.stateFile);
  }

  /** The resourceVersion of the last write (what lists report). */
  currentResourceVersion(): string {
    return String(this.resourceVersion);
  }

  /** Allocates the resourceVersion for a write about to happen. */
  nextResourceVersion(): string {
    this.resourceVersion += 1;
    return String(this.resourceVersion);
  }

  get(key: ObjectKey): KubeObject | undefined {
    const entry = this.objects.get(keyString(key));
    return entry ? clone(entry.object) : undefined;
  }

  /** Objects of a resource, in one namespace or (namespace undefined) everywhere, sorted like etcd keys. */
  list(group: string, resource: string, namespace?: string): KubeObject[] {
    const out: Array<[string, KubeObject]> = [];
    for (const [k, entry] of this.objects) {
      if (entry.group !== group || entry.resource !== resource) continue;
      if (
        namespace !== undefined &&
        (entry.object.metadata?.namespace ?? '') !== namespace
      )
        continue;
      out.push([k, entry.object]);
    }
    out.sort((a, b) => a[0].localeCompare(b[0], 'en'));
    return out.map(([, o]) => clone(o));
  }

  /** Every stored object with its group and resource. */
  entries(): Array<{ group: string; resource: string; object: KubeObject }> {
    return [...this.objects.values()].map(e => ({
      group: e.group,
      resource: e.resource,
      object: clone(e.object),
    }));
  }

  put(group: string, resource: string, object: KubeObject): void {
    const meta = object.metadata;
    this.objects.set(
      keyString({
        group,
        resource,
        namespace: meta.namespace ?? '',
        name: meta.name,
      }),
      {
        group,
        resource,
        object: clone(object),
      },
    );
    this.persist();
  }

  delete(key: ObjectKey): boolean {
    const deleted = this.objects.delete(keyString(key));
    if (deleted) this.persist();
    return deleted;
  }

  /** Removes everything (the resourceVersion counter keeps growing, as in a real cluster). */
  clear(): void {
    this.objects.clear();
    this.persist();
  }
}
