/*
 * Server-side apply of a request: the apply configuration is merged into the live object by
 * field ownership (managedFields.ts), conflicts are 409, identical content changes nothing.
 */
import { serverSideApply } from './managedFields';
import { kubeTime, stripForCompare } from './objectFingerprints';
import type { KubeObject } from './objectStore';
import type { ObjectWriter } from './objectWriter';
import { checkNamespace, checkTypeMeta, parseBody } from './requestBody';
import {
  groupResource,
  objectKey,
  type HandlerResponse,
  type ResourceRequest,
} from './resourceRequest';
import { groupVersion } from './resourceTypes';
import {
  badRequest,
  conflict,
  invalid,
  notFound,
  STALE_OBJECT_REASON,
} from './statusErrors';
import { isPlainObject } from './structuralSchema';
import {
  cleanIncomingMeta,
  fieldOptionsFor,
  newObjectMeta,
  warningHeaders,
} from './writeSteps';

/** PATCH with `application/apply-patch+yaml`: server-side apply, creating the object if needed. */
export function serverSideApplyRequest(
  writer: ObjectWriter,
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
  const live = writer.store.get(objectKey(rt, req.namespace, req.name!));
  const rv = cfg.metadata.resourceVersion;
  if (rv !== undefined && (!live || rv !== live.metadata.resourceVersion)) {
    throw conflict(groupResource(rt), req.name!, STALE_OBJECT_REASON);
  }
  delete cfg.metadata.resourceVersion;
  cleanIncomingMeta(cfg);
  const warnings = writer.admission.prune(req, cfg);
  if (!live) {
    if (req.subresource) throw notFound(groupResource(rt), req.name!);
    writer.admission.requireNamespaceExists(rt, req.namespace);
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
    opts: fieldOptionsFor(rt, req.subresource),
  });
  const next = result.object as KubeObject;
  next.apiVersion = groupVersion(rt);
  next.kind = rt.kind;
  next.metadata.name = req.name;
  if (rt.namespaced) next.metadata.namespace = req.namespace;
  if (!live) newObjectMeta(rt, next, now);
  writer.admission.admit(rt, next, live);
  if (
    live &&
    stripForCompare(next) === stripForCompare(live) &&
    !result.ownershipChanged
  ) {
    return {
      status: 200,
      body: live,
      headers: warningHeaders(warnings),
    };
  }
  const stored = writer.commit(rt, live, next, dryRun);
  return {
    status: live ? 200 : 201,
    body: stored,
    headers: warningHeaders(warnings),
  };
}
