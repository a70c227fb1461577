/*
 * The REST semantics of the API server for one resource request: get, list (label and field
 * selectors, limit/continue), create, update (optimistic concurrency), patch (server-side apply,
 * JSON merge, strategic merge, JSON patch), delete (with owner-reference garbage collection) and
 * deletecollection, with dryRun, resourceVersion, uid, generation and managedFields maintained
 * the way the real server does.
 */
import { Admission } from './admission';
import type { CrdCatalog } from './crdCatalog';
import { deleteCollection, deleteObject } from './deleteRequests';
import { trackUpdate } from './managedFields';
import {
  clone,
  kubeTime,
  specPart,
  stripForCompare,
} from './objectFingerprints';
import type { KubeObject, ObjectStore } from './objectStore';
import type { ObjectWriter } from './objectWriter';
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
} from './patches';
import { getObject, listObjects } from './readObjects';
import {
  checkNamespace,
  CUSTOM_PATCH_TYPES,
  dryRunRequested,
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
import { serverSideApplyRequest } from './serverSideApplyRequest';
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
} from './statusErrors';
import { isPlainObject } from './structuralSchema';
import {
  cleanIncomingMeta,
  defaultManager,
  fieldOptionsFor,
  generateSuffix,
  newObjectMeta,
  restrictToScope,
  warningHeaders,
} from './writeSteps';

export class ResourceHandler implements ObjectWriter {
  readonly admission: Admission;

  constructor(
    readonly store: ObjectStore,
    crds: CrdCatalog,
    private readonly findType: (
      apiVersion: string,
      kind: string,
    ) => ResourceType | undefined,
    private readonly listener: WriteListener,
  ) {
    this.admission = new Admission(store, crds);
  }

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
        return deleteObject(this, req);
      case 'deletecollection':
        return deleteCollection(this, req);
      default:
        throw methodNotSupported(
          { group: req.rt.group, resource: req.rt.resource },
          req.verb,
        );
    }
  }

  // ------------------------------------------------------------------------------------------
  // write helpers

  /** Stores a changed object (unless dry run) and returns it with its new resourceVersion. */
  commit(
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

  // ------------------------------------------------------------------------------------------
  // writes

  private create(req: ResourceRequest): HandlerResponse {
    const { rt } = req;
    if (req.subresource) throw methodNotSupported(groupResource(rt), 'create');
    const dryRun = dryRunRequested(req);
    const obj = parseObject(req);
    checkNamespace(req, obj);
    cleanIncomingMeta(obj);
    delete obj.metadata.resourceVersion;
    if (!obj.metadata.name && obj.metadata.generateName) {
      obj.metadata.name = `${obj.metadata.generateName}${generateSuffix()}`;
    }
    const warnings = this.admission.prune(req, obj);
    this.admission.requireNamespaceExists(rt, obj.metadata.namespace);
    const now = kubeTime();
    newObjectMeta(rt, obj, now);
    this.admission.admit(rt, obj, undefined);
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
      opts: fieldOptionsFor(rt, undefined),
    }).object;
    const stored = this.commit(rt, undefined, tracked, dryRun);
    return {
      status: 201,
      body: stored,
      headers: warningHeaders(warnings),
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
    const warnings = this.admission.prune(req, body);
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
    let next = restrictToScope(rt, req.subresource, candidate, old);
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
    this.admission.admit(rt, next, old);
    const now = kubeTime();
    const tracked = trackUpdate({
      oldObject: old,
      newObject: next,
      manager: req.query.get('fieldManager') ?? defaultManager(req.userAgent),
      apiVersion: groupVersion(rt),
      subresource: req.subresource,
      now,
      opts: fieldOptionsFor(rt, req.subresource),
    });
    next = tracked.object;
    if (
      stripForCompare(next) === stripForCompare(old) &&
      !tracked.ownershipChanged
    ) {
      return { status: 200, body: old, headers: warningHeaders(warnings) };
    }
    const stored = this.commit(rt, old, next, dryRun);
    return {
      status: 200,
      body: stored,
      headers: warningHeaders(warnings),
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
      return serverSideApplyRequest(this, req, dryRun, force === 'true');
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
    const warnings = this.admission.prune(req, patched);
    return this.finishUpdate(req, old, patched, dryRun, warnings);
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
      newObjectMeta(rt, obj, now);
      if (desired.status && !rt.custom) obj.status = clone(desired.status);
      this.admission.admit(rt, obj, undefined);
      const tracked = trackUpdate({
        oldObject: undefined,
        newObject: obj,
        manager,
        apiVersion: groupVersion(rt),
        now,
        opts: fieldOptionsFor(rt, undefined),
      }).object;
      return this.commit(rt, undefined, tracked, false);
    }
    let next = restrictToScope(rt, subresource, clone(desired), old);
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
    this.admission.admit(rt, next, old);
    const tracked = trackUpdate({
      oldObject: old,
      newObject: next,
      manager,
      apiVersion: groupVersion(rt),
      subresource,
      now,
      opts: fieldOptionsFor(rt, subresource),
    });
    next = tracked.object;
    if (stripForCompare(next) === stripForCompare(old)) return old;
    return this.commit(rt, old, next, false);
  }
}
