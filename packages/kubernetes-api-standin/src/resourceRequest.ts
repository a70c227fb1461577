/*
 * One resource request as the ResourceHandler sees it (already routed and authorized), its
 * answer, and the store key of the object it names.
 */
import type { KubeObject } from './objectStore';
import type { ResourceType } from './resourceTypes';

export type Verb =
  | 'get'
  | 'list'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection';

export interface ResourceRequest {
  verb: Verb;
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  body: Buffer;
  contentType: string;
  accept?: string;
  userAgent?: string;
}

export interface HandlerResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string | string[]>;
}

/** Called after every persisted change, so the operator simulation can react. */
export interface WriteListener {
  afterWrite(
    rt: ResourceType,
    before: KubeObject | undefined,
    after: KubeObject,
  ): void;
  afterDelete(rt: ResourceType, object: KubeObject): void;
}

/** The store key of the named object of a request. */
export function objectKey(
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
) {
  return {
    group: rt.group,
    resource: rt.resource,
    namespace: rt.namespaced ? namespace ?? '' : '',
    name,
  };
}

/** Group and resource, for Status errors. */
export function groupResource(rt: ResourceType) {
  return { group: rt.group, resource: rt.resource };
}
