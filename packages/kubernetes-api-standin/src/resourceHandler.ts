/*
 * The REST semantics of the API server for one resource request: get, list (label and field
 * selectors, limit/continue), create, update (optimistic concurrency), patch (server-side apply,
 * JSON merge, strategic merge, JSON patch), delete (with owner-reference garbage collection) and
 * deletecollection, with dryRun, resourceVersion, uid, generation and managedFields maintained
 * the way the real server does.
 */
import { randomUUID, randomInt } from 'node:crypto';
import { BUILTIN_SCHEMAS } from './builtinSchemas';
import type { CrdCatalog } from './crdCatalog';
import {
  defaultBuiltin,
  validateBuiltin,
  validateObjectMeta,
} from './coreValidation';
import {
  serverSideApply,
  trackUpdate,
  type FieldOptions,
  type Scope,
} from './managedFields';
import type { KubeObject, ObjectStore } from './objectStore';
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
} from './patches';
import {
  clone,
  kubeTime,
  specPart,
  stripForCompare,
} from './objectFingerprints';
import { getObject, listObjects, selectObjects } from './readObjects';
import {
  checkNamespace,
  checkTypeMeta,
  CUSTOM_PATCH_TYPES,
  dryRunRequested,
  fieldValidationMode,
  mediaType,
  parseBody,
  parseObject,
  PATCH_TYPES,
} from './requestBody';
import {
  groupResource,
  objectKey,
  type HandlerResponse,
  type ResourceRequest,
  type WriteListener,
} from './resourceRequest';
import { groupVersion, type ResourceType } from './resourceTypes';
import {
  alreadyExists,
  badRequest,
  conflict,
  genericError,
  invalid,
  methodNotSupported,
  notFound,
  STALE_OBJECT_REASON,
  unsupportedMediaType,
  forbidden,
  type FieldError,
} from './statusErrors';
import {
  applySchemaDefaults,
  isPlainObject,
  pruneUnknownFields,
} from './structuralSchema';

const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

function generateSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < 5; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

/** The default field manager: the user agent's first product token, as the API server derives it. */
function defaultManager(userAgent: string | undefined): string {
  const ua = (userAgent ?? '').trim();
  if (!ua) return 'unknown';
  return ua.split('/')[0].slice(0, 128) || 'unknown';
}

export class ResourceHandler {
  constructor(
    private readonly store: ObjectStore,
    private readonly crds: CrdCatalog,
    private readonly findType: (
      apiVersion: string,
      kind: string,
    ) => ResourceType | undefined,
    private readonly listener: WriteListener,
  ) {}

  handle(req: ResourceRequest): HandlerResponse {
    if (req.query.get('watch') === 'true' || req.query.get('watch') === '1') {
      throw methodNotSupported(
        { group: req.rt.group, resource: req.rt.resource },
        'watch',
      );
    }
    if (req.subresource && req.subresource !== 'status') {
      throw genericError(
        404,
        'the server could not find the requested resource',
      );
    }
    if (req.subresource === 'status' && !req.rt.statusSubresource) {
      throw genericError(
        404,
        'the server could not find the requested resource',
      );
    }
    switch (req.verb) {
      case 'get':
        return getObject(this.store, req);
      case 'list':
        return listObjects(this.store, req);
      case 'create':
        return this.create(req);
      case 'update':
        return this.update(req);
      case 'patch':
        return this.patch(req);
      case 'delete':
        return this.delete(req);
      case 'deletecollection':
        return this.deleteCollection(req);
      default:
        throw methodNotSupported(
          { group: req.rt.group, resource: req.rt.resource },
          req.verb,
        );
    }
  }

  // ------------------------------------------------------------------------------------------
  // write helpers

  private requireNamespaceExists(
    rt: ResourceType,
    namespace: string | undefined,
  ): void {
    if (!rt.namespaced) return;
    const ns = this.store.get({
      group: '',
      resource: 'namespaces',
      namespace: '',
      name: namespace ?? '',
    });
    if (!ns)
      throw notFound({ group: '', resource: 'namespaces' }, namespace ?? '');
    if (ns.metadata?.deletionTimestamp) {
      throw forbidden(
        { group: rt.group, resource: rt.resource },
        '',
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  /** Drops unknown fields (custom resources: CRD schema; built-ins: their field lists), honouring fieldValidation; returns warnings. */
  private prune(req: ResourceRequest, obj: KubeObject): string[] {
    const schema = req.rt.custom
      ? this.crds.find(req.rt.group, req.rt.version, req.rt.resource)?.schema
      : BUILTIN_SCHEMAS[req.rt.kind];
    if (!schema) return [];
    const unknown = pruneUnknownFields(obj, schema);
    if (unknown.length === 0) return [];
    const mode = fieldValidationMode(req);
    if (mode === 'Strict') {
      throw badRequest(
        `${req.rt.kind} in version "${req.rt.version}" cannot be handled as a ${
          req.rt.kind
        }: strict decoding error: ${unknown
          .map(u => `unknown field "${u}"`)
          .join(', ')}`,
      );
    }
    return mode === 'Warn' ? unknown.map(u => `unknown field "${u}"`) : [];
  }

  /** Defaulting and validation of the object about to be stored; throws 422 Invalid. */
  private admit(
    rt: ResourceType,
    obj: KubeObject,
    old: KubeObject | undefined,
  ): void {
    const errors: FieldError[] = validateObjectMeta(obj, rt);
    if (rt.custom) {
      const version = this.crds.find(rt.group, rt.version, rt.resource)!;
      applySchemaDefaults(obj, version.schema);
      errors.push(...version.validate(obj));
    } else {
      defaultBuiltin(obj, rt, old);
      errors.push(...validateBuiltin(obj, rt, old));
    }
    if (old && obj.metadata.name !== old.metadata.name) {
      errors.push({
        type: 'FieldValueInvalid',
        field: 'metadata.name',
        badValue: obj.metadata.name,
        detail: 'field is immutable',
      });
    }
    if (errors.length > 0)
      throw invalid(
        { group: rt.group, kind: rt.kind },
        obj.metadata?.name ?? '',
        errors,
      );
  }

  private fieldOptions(
    rt: ResourceType,
    subresource: string | undefined,
  ): FieldOptions {
    let scope: Scope = rt.statusSubresource ? 'main' : 'all';
    if (subresource === 'status') scope = 'status';
    return { listTypeAt: rt.listTypeAt, scope };
  }

  /** Keeps the parts a request may not change: status on the main resource, the rest on /status. */
  private restrictToScope(
    rt: ResourceType,
    subresource: string | undefined,
    next: KubeObject,
    old: KubeObject,
  ): KubeObject {
    if (subresource === 'status') {
      const out = clone(old);
      if (next.status === undefined) delete out.status;
      else out.status = next.status;
      return out;
    }
    if (rt.statusSubresource) {
      const out = clone(next);
      if (old.status === undefined) delete out.status;
      else out.status = clone(old.status);
      return out;
    }
    return next;
  }

  private cleanIncomingMeta(obj: KubeObject): void {
    const meta = obj.metadata;
    for (const f of [
      'uid',
      'creationTimestamp',
      'generation',
      'managedFields',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'selfLink',
    ]) {
      delete meta[f];
    }
  }

  /** Stores a changed object (unless dry run) and returns it with its new resourceVersion. */
  private commit(
    rt: ResourceType,
    before: KubeObject | undefined,
    after: KubeObject,
    dryRun: boolean,
  ): KubeObject {
    if (rt.hasGeneration) {
      if (!before) after.metadata.generation = 1;
      else {
        const prev = before.metadata.generation ?? 1;
        after.metadata.generation =
          specPart(before) !== specPart(after) ? prev + 1 : prev;
      }
    }
    if (dryRun) {
      if (!before) delete after.metadata.resourceVersion;
      else after.metadata.resourceVersion = before.metadata.resourceVersion;
      return after;
    }
    after.metadata.resourceVersion = this.store.nextResourceVersion();
    this.store.put(rt.group, rt.resource, after);
    this.listener.afterWrite(rt, before, after);
    return after;
  }

  private warningHeaders(
    warnings: string[],
  ): Record<string, string[]> | undefined {
    if (warnings.length === 0) return undefined;
    return { Warning: warnings.map(w => `299 - ${JSON.stringify(w)}`) };
  }

  private newObjectMeta(rt: ResourceType, obj: KubeObject, now: string): void {
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = now;
    // Clients cannot set status on create when status is a subresource (PrepareForCreate resets it).
    if (rt.statusSubresource) delete obj.status;
  }

  // ------------------------------------------------------------------------------------------
  // writes

  private create(req: ResourceRequest): HandlerResponse {
    const { rt } = req;
    if (req.subresource) throw methodNotSupported(groupResource(rt), 'create');
    const dryRun = dryRunRequested(req);
    const obj = parseObject(req);
    checkNamespace(req, obj);
    this.cleanIncomingMeta(obj);
    delete obj.metadata.resourceVersion;
    if (!obj.metadata.name && obj.metadata.generateName) {
      obj.metadata.name = `${obj.metadata.generateName}${generateSuffix()}`;
    }
    const warnings = this.prune(req, obj);
    this.requireNamespaceExists(rt, obj.metadata.namespace);
    const now = kubeTime();
    this.newObjectMeta(rt, obj, now);
    this.admit(rt, obj, undefined);
    if (
      this.store.get(objectKey(rt, obj.metadata.namespace, obj.metadata.name))
    ) {
      throw alreadyExists(groupResource(rt), obj.metadata.name);
    }
    const tracked = trackUpdate({
      oldObject: undefined,
      newObject: obj,
      manager: req.query.get('fieldManager') ?? defaultManager(req.userAgent),
      apiVersion: groupVersion(rt),
      now,
      opts: this.fieldOptions(rt, undefined),
    }).object;
    const stored = this.commit(rt, undefined, tracked, dryRun);
    return {
      status: 201,
      body: stored,
      headers: this.warningHeaders(warnings),
    };
  }

  private update(req: ResourceRequest): HandlerResponse {
    const { rt } = req;
    const dryRun = dryRunRequested(req);
    const body = parseObject(req);
    if (body.metadata.name !== undefined && body.metadata.name !== req.name) {
      throw badRequest(
        `the name of the object (${body.metadata.name}) does not match the name on the URL (${req.name})`,
      );
    }
    body.metadata.name = req.name;
    checkNamespace(req, body);
    const old = this.store.get(objectKey(rt, req.namespace, req.name!));
    if (!old) throw notFound(groupResource(rt), req.name!);
    const rv = body.metadata.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== old.metadata.resourceVersion) {
      throw conflict(groupResource(rt), req.name!, STALE_OBJECT_REASON);
    }
    const warnings = this.prune(req, body);
    return this.finishUpdate(req, old, body, dryRun, warnings);
  }

  /** Shared tail of PUT and non-apply PATCH: scope, server fields, admission, ownership, commit. */
  private finishUpdate(
    req: ResourceRequest,
    old: KubeObject,
    candidate: KubeObject,
    dryRun: boolean,
    warnings: string[],
  ): HandlerResponse {
    const { rt } = req;
    let next = this.restrictToScope(rt, req.subresource, candidate, old);
    next.apiVersion = groupVersion(rt);
    next.kind = rt.kind;
    next.metadata = next.metadata ?? {};
    for (const f of [
      'uid',
      'creationTimestamp',
      'generation',
      'deletionTimestamp',
    ]) {
      if (old.metadata[f] === undefined) delete next.metadata[f];
      else next.metadata[f] = old.metadata[f];
    }
    next.metadata.name = old.metadata.name;
    if (rt.namespaced) next.metadata.namespace = old.metadata.namespace;
    next.metadata.managedFields = old.metadata.managedFields;
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    this.admit(rt, next, old);
    const now = kubeTime();
    const tracked = trackUpdate({
      oldObject: old,
      newObject: next,
      manager: req.query.get('fieldManager') ?? defaultManager(req.userAgent),
      apiVersion: groupVersion(rt),
      subresource: req.subresource,
      now,
      opts: this.fieldOptions(rt, req.subresource),
    });
    next = tracked.object;
    if (
      stripForCompare(next) === stripForCompare(old) &&
      !tracked.ownershipChanged
    ) {
      return { status: 200, body: old, headers: this.warningHeaders(warnings) };
    }
    const stored = this.commit(rt, old, next, dryRun);
    return {
      status: 200,
      body: stored,
      headers: this.warningHeaders(warnings),
    };
  }

  private patch(req: ResourceRequest): HandlerResponse {
    const { rt } = req;
    const type = mediaType(req.contentType);
    const accepted = rt.custom ? CUSTOM_PATCH_TYPES : PATCH_TYPES;
    if (!accepted.includes(type)) throw unsupportedMediaType(accepted);
    const dryRun = dryRunRequested(req);
    const force = req.query.get('force');
    if (type === 'application/apply-patch+yaml')
      return this.apply(req, dryRun, force === 'true');
    if (force !== null) {
      throw invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', [
        {
          type: 'FieldValueForbidden',
          field: 'force',
          detail: 'may not be specified for non-apply patch',
        },
      ]);
    }
    const old = this.store.get(objectKey(rt, req.namespace, req.name!));
    if (!old) throw notFound(groupResource(rt), req.name!);
    const patch = parseBody(req, false);
    let patched: KubeObject;
    if (type === 'application/json-patch+json')
      patched = applyJsonPatch(old, patch);
    else if (type === 'application/merge-patch+json')
      patched = applyMergePatch(old, patch);
    else patched = applyStrategicMergePatch(old, patch, rt.listTypeAt);
    if (!isPlainObject(patched.metadata)) patched.metadata = {};
    const rv = patched.metadata.resourceVersion;
    if (rv !== undefined && rv !== old.metadata.resourceVersion) {
      throw conflict(groupResource(rt), req.name!, STALE_OBJECT_REASON);
    }
    if (
      patched.metadata.name !== undefined &&
      patched.metadata.name !== req.name
    ) {
      throw badRequest(
        `the name of the object (${patched.metadata.name}) does not match the name on the URL (${req.name})`,
      );
    }
    const warnings = this.prune(req, patched);
    return this.finishUpdate(req, old, patched, dryRun, warnings);
  }

  private apply(
    req: ResourceRequest,
    dryRun: boolean,
    force: boolean,
  ): HandlerResponse {
    const { rt } = req;
    const manager = req.query.get('fieldManager');
    if (!manager) {
      throw invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', [
        {
          type: 'FieldValueRequired',
          field: 'fieldManager',
          detail: 'is required for apply patch',
        },
      ]);
    }
    const config = parseBody(req, true);
    if (!isPlainObject(config))
      throw badRequest(
        'error decoding YAML: the apply configuration must be an object',
      );
    const cfg = config as KubeObject;
    if (!cfg.apiVersion)
      throw badRequest('apiVersion must be set in the apply configuration');
    if (!cfg.kind)
      throw badRequest('kind must be set in the apply configuration');
    checkTypeMeta(rt, cfg);
    if (cfg.metadata.name !== undefined && cfg.metadata.name !== req.name) {
      throw badRequest(
        `the name of the object (${cfg.metadata.name}) does not match the name on the URL (${req.name})`,
      );
    }
    cfg.metadata.name = req.name;
    checkNamespace(req, cfg);
    const live = this.store.get(objectKey(rt, req.namespace, req.name!));
    const rv = cfg.metadata.resourceVersion;
    if (rv !== undefined && (!live || rv !== live.metadata.resourceVersion)) {
      throw conflict(groupResource(rt), req.name!, STALE_OBJECT_REASON);
    }
    delete cfg.metadata.resourceVersion;
    this.cleanIncomingMeta(cfg);
    const warnings = this.prune(req, cfg);
    if (!live) {
      if (req.subresource) throw notFound(groupResource(rt), req.name!);
      this.requireNamespaceExists(rt, req.namespace);
    }
    const now = kubeTime();
    const result = serverSideApply({
      live,
      config: cfg,
      manager,
      force,
      apiVersion: groupVersion(rt),
      subresource: req.subresource,
      now,
      opts: this.fieldOptions(rt, req.subresource),
    });
    const next = result.object as KubeObject;
    next.apiVersion = groupVersion(rt);
    next.kind = rt.kind;
    next.metadata.name = req.name;
    if (rt.namespaced) next.metadata.namespace = req.namespace;
    if (!live) this.newObjectMeta(rt, next, now);
    this.admit(rt, next, live);
    if (
      live &&
      stripForCompare(next) === stripForCompare(live) &&
      !result.ownershipChanged
    ) {
      return {
        status: 200,
        body: live,
        headers: this.warningHeaders(warnings),
      };
    }
    const stored = this.commit(rt, live, next, dryRun);
    return {
      status: live ? 200 : 201,
      body: stored,
      headers: this.warningHeaders(warnings),
    };
  }

  private deleteOptions(req: ResourceRequest): {
    preconditions?: { uid?: string; resourceVersion?: string };
  } {
    const text = req.body.toString('utf8').trim();
    if (!text) return {};
    try {
      const parsed = JSON.parse(text);
      return isPlainObject(parsed) ? (parsed as any) : {};
    } catch (e) {
      throw badRequest(`error decoding DeleteOptions: ${(e as Error).message}`);
    }
  }

  private delete(req: ResourceRequest): HandlerResponse {
    const { rt } = req;
    if (req.subresource) throw methodNotSupported(groupResource(rt), 'delete');
    const dryRun = dryRunRequested(req);
    const options = this.deleteOptions(req);
    const key = objectKey(rt, req.namespace, req.name!);
    const obj = this.store.get(key);
    if (!obj) throw notFound(groupResource(rt), req.name!);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== obj.metadata.uid) {
      throw conflict(
        groupResource(rt),
        req.name!,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`,
      );
    }
    if (
      pre?.resourceVersion &&
      pre.resourceVersion !== obj.metadata.resourceVersion
    ) {
      throw conflict(
        groupResource(rt),
        req.name!,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
      );
    }
    if (rt.kind === 'Namespace' && PROTECTED_NAMESPACES.has(req.name!)) {
      throw forbidden(
        groupResource(rt),
        req.name!,
        'this namespace may not be deleted',
      );
    }
    if (!dryRun) this.remove(rt, obj);
    if (rt.kind === 'Namespace') {
      // A real namespace goes through Terminating while its content is deleted; the stand-in
      // deletes the content at once and answers with the terminating object.
      const terminating = clone(obj);
      terminating.metadata.deletionTimestamp = kubeTime();
      terminating.status = {
        ...(terminating.status ?? {}),
        phase: 'Terminating',
      };
      return { status: 200, body: terminating };
    }
    if (rt.returnDeletedObject) return { status: 200, body: obj };
    return {
      status: 200,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: {
          name: obj.metadata.name,
          group: rt.group || undefined,
          kind: rt.resource,
          uid: obj.metadata.uid,
        },
      },
    };
  }

  private deleteCollection(req: ResourceRequest): HandlerResponse {
    const { rt } = req;
    const dryRun = dryRunRequested(req);
    const items = selectObjects(this.store, req);
    if (!dryRun) for (const o of items) this.remove(rt, o);
    return {
      status: 200,
      body: {
        kind: rt.listKind,
        apiVersion: groupVersion(rt),
        metadata: { resourceVersion: this.store.currentResourceVersion() },
        items,
      },
    };
  }

  /** Deletes an object, then (like the garbage collector) dependents whose owners are all gone. */
  remove(rt: ResourceType, obj: KubeObject): void {
    const deleted = this.store.delete(
      objectKey(rt, obj.metadata.namespace, obj.metadata.name),
    );
    if (!deleted) return;
    this.listener.afterDelete(rt, obj);
    if (rt.kind === 'Namespace') {
      for (const entry of this.store.entries()) {
        if (entry.object.metadata?.namespace !== obj.metadata.name) continue;
        const t = this.findType(entry.object.apiVersion, entry.object.kind);
        if (t) this.remove(t, entry.object);
        else
          this.store.delete({
            group: entry.group,
            resource: entry.resource,
            namespace: obj.metadata.name,
            name: entry.object.metadata.name,
          });
      }
    }
    this.collectGarbage();
  }

  /** Deletes objects all of whose ownerReferences point to objects that no longer exist. */
  collectGarbage(): void {
    let changed = true;
    while (changed) {
      changed = false;
      const uids = new Set(
        this.store.entries().map(e => e.object.metadata?.uid),
      );
      for (const entry of this.store.entries()) {
        const owners = entry.object.metadata?.ownerReferences;
        if (!Array.isArray(owners) || owners.length === 0) continue;
        if (owners.some((o: { uid?: string }) => uids.has(o.uid))) continue;
        const t = this.findType(entry.object.apiVersion, entry.object.kind);
        if (!t) continue;
        if (
          this.store.delete(
            objectKey(
              t,
              entry.object.metadata.namespace,
              entry.object.metadata.name,
            ),
          )
        ) {
          this.listener.afterDelete(t, entry.object);
          changed = true;
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // writes by the stand-in itself (operator simulation)

  /**
   * Creates or updates an object on behalf of a controller, with its own field manager, without
   * bumping anything when nothing changes. `subresource: 'status'` writes only the status.
   */
  controllerWrite(
    rt: ResourceType,
    desired: KubeObject,
    manager: string,
    subresource?: 'status',
  ): KubeObject {
    const key = objectKey(
      rt,
      desired.metadata.namespace,
      desired.metadata.name,
    );
    const old = this.store.get(key);
    const now = kubeTime();
    if (!old) {
      if (subresource) throw notFound(groupResource(rt), desired.metadata.name);
      const obj = clone(desired);
      obj.apiVersion = groupVersion(rt);
      obj.kind = rt.kind;
      this.newObjectMeta(rt, obj, now);
      if (desired.status && !rt.custom) obj.status = clone(desired.status);
      this.admit(rt, obj, undefined);
      const tracked = trackUpdate({
        oldObject: undefined,
        newObject: obj,
        manager,
        apiVersion: groupVersion(rt),
        now,
        opts: this.fieldOptions(rt, undefined),
      }).object;
      return this.commit(rt, undefined, tracked, false);
    }
    let next = this.restrictToScope(rt, subresource, clone(desired), old);
    for (const f of [
      'uid',
      'creationTimestamp',
      'generation',
      'resourceVersion',
      'managedFields',
    ]) {
      if (old.metadata[f] === undefined) delete next.metadata[f];
      else next.metadata[f] = old.metadata[f];
    }
    this.admit(rt, next, old);
    const tracked = trackUpdate({
      oldObject: old,
      newObject: next,
      manager,
      apiVersion: groupVersion(rt),
      subresource,
      now,
      opts: this.fieldOptions(rt, subresource),
    });
    next = tracked.object;
    if (stripForCompare(next) === stripForCompare(old)) return old;
    return this.commit(rt, old, next, false);
  }
}
