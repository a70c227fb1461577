import { http, HttpResponse } from 'msw';
import {
  matchesLabels,
  parseLabelSelector,
} from '@prometheus-ocs/kubernetes-api-standin';

interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

const notFound = () =>
  HttpResponse.json(
    { kind: 'Status', code: 404, reason: 'NotFound', message: 'not found' },
    { status: 404 },
  );

/**
 * The stand-in's selector (the API server's `labelSelector` semantics), not the product's: the
 * fake plays the API server, so the product's selectors are checked against it, not against
 * themselves.
 */
function matchesSelector(
  labels: Record<string, string> | undefined,
  selector: string | null,
) {
  if (!selector) return true;
  return matchesLabels(parseLabelSelector(selector), labels);
}

/**
 * A minimal in-memory Kubernetes API for msw router tests: objects by path, server-side apply
 * as "store the body" (dry-run stores nothing), label-selected lists, deletes, and discovery of
 * monitoring.coreos.com/v1. The stand-in (@prometheus-ocs/kubernetes-api-standin) covers the real semantics; this only lets
 * router tests follow an object from apply to status to teardown.
 */
export function fakeKubernetes(baseUrl: string) {
  const objects = new Map<string, StoredObject>();
  let version = 0;
  const escaped = baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const objectPath = new RegExp(
    `^${escaped}(/apis?/(?:[^/]+/)?v1/namespaces/[^/]+/[^/?]+)/([^/?]+)(\\?.*)?$`,
  );
  const collectionPath = new RegExp(
    `^${escaped}(/apis?/(?:[^/]+/)?v1/namespaces/[^/]+/[^/?]+)(\\?.*)?$`,
  );

  const handlers = [
    http.get(`${baseUrl}/apis/monitoring.coreos.com/v1`, () =>
      HttpResponse.json({ kind: 'APIResourceList', resources: [] }),
    ),
    http.get(objectPath, ({ request }) => {
      const [, collection, name] = objectPath.exec(request.url)!;
      // Service proxy paths (`…/services/<svc>:<port>/proxy/…`) are not objects.
      if (name.includes(':')) return undefined;
      const object = objects.get(`${collection}/${name}`);
      return object ? HttpResponse.json(object) : notFound();
    }),
    http.get(collectionPath, ({ request }) => {
      const [, collection] = collectionPath.exec(request.url)!;
      const selector = new URL(request.url).searchParams.get('labelSelector');
      const items = [...objects.entries()]
        .filter(([key]) => key.startsWith(`${collection}/`))
        .map(([, object]) => object)
        .filter(o => matchesSelector(o.metadata.labels, selector));
      return HttpResponse.json({ kind: 'List', metadata: {}, items });
    }),
    http.patch(objectPath, async ({ request }) => {
      const [, collection, name] = objectPath.exec(request.url)!;
      const body = (await request.json()) as StoredObject;
      const key = `${collection}/${name}`;
      const live = objects.get(key);
      const dryRun = new URL(request.url).searchParams.get('dryRun') === 'All';
      const unchanged =
        live &&
        JSON.stringify({
          ...live,
          metadata: { ...live.metadata, uid: 0, resourceVersion: 0 },
        }) ===
          JSON.stringify({
            ...body,
            metadata: { ...body.metadata, uid: 0, resourceVersion: 0 },
          });
      const result: StoredObject = {
        ...body,
        metadata: {
          ...body.metadata,
          uid: live?.metadata.uid ?? `uid-${name}`,
          resourceVersion:
            unchanged || dryRun
              ? live?.metadata.resourceVersion ?? '0'
              : String(++version),
        },
      };
      if (!dryRun) objects.set(key, result);
      return HttpResponse.json(result);
    }),
    http.delete(objectPath, ({ request }) => {
      const [, collection, name] = objectPath.exec(request.url)!;
      const key = `${collection}/${name}`;
      if (!objects.delete(key)) return notFound();
      return HttpResponse.json({ kind: 'Status', status: 'Success' });
    }),
  ];
  return { handlers, objects };
}
