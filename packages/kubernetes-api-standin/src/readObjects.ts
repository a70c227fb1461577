/*
 * The read verbs: get and list (label and field selectors, limit/continue, server-side Tables).
 */
import type { KubeObject, ObjectStore } from './objectStore';
import {
  groupResource,
  objectKey,
  type HandlerResponse,
  type ResourceRequest,
} from './resourceRequest';
import { groupVersion } from './resourceTypes';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors';
import { badRequest, notFound } from './statusErrors';
import { toTable, wantsTable } from './tableConvertor';

/** GET of one object (or its Table). */
export function getObject(
  store: ObjectStore,
  req: ResourceRequest,
): HandlerResponse {
  const obj = store.get(objectKey(req.rt, req.namespace, req.name!));
  if (!obj) throw notFound(groupResource(req.rt), req.name!);
  if (wantsTable(req.accept)) {
    return {
      status: 200,
      body: toTable(
        req.rt,
        [obj],
        obj.metadata.resourceVersion,
        req.query.get('includeObject') ?? undefined,
      ),
    };
  }
  return { status: 200, body: obj };
}

/** The objects of the request's collection that its label and field selectors select. */
export function selectObjects(
  store: ObjectStore,
  req: ResourceRequest,
): KubeObject[] {
  const { rt } = req;
  const labelSelector = req.query.get('labelSelector');
  const fieldSelector = req.query.get('fieldSelector');
  const labels = labelSelector ? parseLabelSelector(labelSelector) : [];
  const fields = fieldSelector
    ? parseFieldSelector(fieldSelector, rt.fieldSelectors)
    : [];
  return store
    .list(rt.group, rt.resource, rt.namespaced ? req.namespace : undefined)
    .filter(o => matchesLabels(labels, o.metadata?.labels))
    .filter(o =>
      matchesFields(fields, {
        'metadata.name': o.metadata?.name ?? '',
        'metadata.namespace': o.metadata?.namespace ?? '',
        'status.phase': o.status?.phase ?? '',
        'spec.nodeName': o.spec?.nodeName ?? '',
        type: o.type ?? '',
      }),
    );
}

/** LIST with selectors, limit/continue, and Table output. */
export function listObjects(
  store: ObjectStore,
  req: ResourceRequest,
): HandlerResponse {
  const { rt } = req;
  let items = selectObjects(store, req);
  const rv = store.currentResourceVersion();
  const metadata: Record<string, unknown> = { resourceVersion: rv };
  const cont = req.query.get('continue');
  let start = 0;
  if (cont) {
    try {
      const parsed = JSON.parse(
        Buffer.from(cont, 'base64url').toString('utf8'),
      ) as { start: number };
      if (!Number.isInteger(parsed.start) || parsed.start < 0)
        throw new Error('bad offset');
      start = parsed.start;
    } catch {
      throw badRequest(
        'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
      );
    }
  }
  const limitRaw = req.query.get('limit');
  const limit = limitRaw ? Number(limitRaw) : 0;
  if (start > 0 || limit > 0) {
    const end = limit > 0 ? start + limit : items.length;
    if (end < items.length) {
      metadata.continue = Buffer.from(JSON.stringify({ start: end })).toString(
        'base64url',
      );
      metadata.remainingItemCount = items.length - end;
    }
    items = items.slice(start, end);
  }
  if (wantsTable(req.accept)) {
    const table = toTable(
      rt,
      items,
      rv,
      req.query.get('includeObject') ?? undefined,
    );
    return { status: 200, body: { ...table, metadata } };
  }
  if (!rt.listItemsHaveTypeMeta) {
    items = items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
  }
  return {
    status: 200,
    body: {
      kind: rt.listKind,
      apiVersion: groupVersion(rt),
      metadata,
      items,
    },
  };
}
