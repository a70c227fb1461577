/*
 * The RBAC verb of a request, as the API server's RequestInfo derives it from the method.
 */
import type { Verb } from './resourceRequest';

/** The verb of a resource request; undefined when the method does not apply (405). */
export function verbFor(method: string, hasName: boolean): Verb | undefined {
  switch (method) {
    case 'GET':
      return hasName ? 'get' : 'list';
    case 'POST':
      return hasName ? undefined : 'create';
    case 'PUT':
      return hasName ? 'update' : undefined;
    case 'PATCH':
      return hasName ? 'patch' : undefined;
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}

/** The verb of a service proxy request (`services/proxy`). */
export function proxyVerb(method: string): string {
  switch (method) {
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      return 'get';
  }
}
