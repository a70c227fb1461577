/*
 * The part of an API path after `/api/v1` or `/apis/<group>/<version>`: namespace, resource,
 * name, subresource (and what is left, which no served resource has).
 */
export interface ParsedResourcePath {
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  extra: string[];
}

export function parseResourceSegments(
  segments: string[],
): ParsedResourcePath | undefined {
  if (segments.length === 0) return undefined;
  if (segments[0] === 'namespaces') {
    if (segments.length <= 2)
      return { resource: 'namespaces', name: segments[1], extra: [] };
    if (
      segments.length === 3 &&
      (segments[2] === 'status' || segments[2] === 'finalize')
    ) {
      return {
        resource: 'namespaces',
        name: segments[1],
        subresource: segments[2],
        extra: [],
      };
    }
    return {
      namespace: segments[1],
      resource: segments[2],
      name: segments[3],
      subresource: segments[4],
      extra: segments.slice(5),
    };
  }
  return {
    resource: segments[0],
    name: segments[1],
    subresource: segments[2],
    extra: segments.slice(3),
  };
}
