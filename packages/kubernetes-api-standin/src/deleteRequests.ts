/*
 * The delete verbs: delete (preconditions, protected namespaces, the answer the real server
 * gives per kind) and deletecollection.
 */
import { clone, kubeTime } from './objectFingerprints';
import type { ObjectWriter } from './objectWriter';
import { selectObjects } from './readObjects';
import { dryRunRequested, parseDeleteOptions } from './requestBody';
import {
  groupResource,
  objectKey,
  type HandlerResponse,
  type ResourceRequest,
} from './resourceRequest';
import { groupVersion } from './resourceTypes';
import {
  conflict,
  forbidden,
  methodNotSupported,
  notFound,
} from './statusErrors';

const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** DELETE of one object, with preconditions; a Namespace answers as Terminating. */
export function deleteObject(
  writer: ObjectWriter,
  req: ResourceRequest,
): HandlerResponse {
  const { rt } = req;
  if (req.subresource) throw methodNotSupported(groupResource(rt), 'delete');
  const dryRun = dryRunRequested(req);
  const options = parseDeleteOptions(req);
  const key = objectKey(rt, req.namespace, req.name!);
  const obj = writer.store.get(key);
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
  if (!dryRun) writer.remove(rt, obj);
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

/** DELETE of a collection: every selected object. */
export function deleteCollection(
  writer: ObjectWriter,
  req: ResourceRequest,
): HandlerResponse {
  const { rt } = req;
  const dryRun = dryRunRequested(req);
  const items = selectObjects(writer.store, req);
  if (!dryRun) for (const o of items) writer.remove(rt, o);
  return {
    status: 200,
    body: {
      kind: rt.listKind,
      apiVersion: groupVersion(rt),
      metadata: { resourceVersion: writer.store.currentResourceVersion() },
      items,
    },
  };
}
