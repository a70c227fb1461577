/*
 * API discovery documents (/api, /api/v1, /apis, /apis/<group>, /apis/<group>/<version>) in the
 * legacy (unaggregated) format. kubectl asks for aggregated discovery first and falls back to
 * these when the response is a plain APIGroupList, exactly as against an older API server.
 */
import { groupVersion, type ResourceType } from './resourceTypes';

export interface ApiGroupInfo {
  name: string;
  versions: string[];
  preferredVersion: string;
}

/** Groups (other than core) served by a set of resource types, in registration order. */
export function apiGroups(
  types: ResourceType[],
  preferred: (group: string) => string | undefined,
): ApiGroupInfo[] {
  const groups = new Map<string, string[]>();
  for (const t of types) {
    if (!t.group) continue;
    const versions = groups.get(t.group) ?? [];
    if (!versions.includes(t.version)) versions.push(t.version);
    groups.set(t.group, versions);
  }
  return [...groups.entries()].map(([name, versions]) => {
    const pref = preferred(name) ?? versions[0];
    // The preferred version is listed first, as the API server does.
    const ordered = [pref, ...versions.filter(v => v !== pref)];
    return { name, versions: ordered, preferredVersion: pref };
  });
}

function groupDocument(g: ApiGroupInfo) {
  return {
    name: g.name,
    versions: g.versions.map(v => ({
      groupVersion: `${g.name}/${v}`,
      version: v,
    })),
    preferredVersion: {
      groupVersion: `${g.name}/${g.preferredVersion}`,
      version: g.preferredVersion,
    },
  };
}

export function apiGroupList(groups: ApiGroupInfo[]) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map(groupDocument),
  };
}

export function apiGroup(group: ApiGroupInfo) {
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(group) };
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** The APIResourceList of one group version, with subresources like the real one lists them. */
export function apiResourceList(
  gv: { group: string; version: string },
  types: ResourceType[],
) {
  const resources: Array<Record<string, unknown>> = [];
  for (const t of types) {
    if (t.group !== gv.group || t.version !== gv.version) continue;
    resources.push({
      name: t.resource,
      singularName: t.singularName,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
      ...(t.categories.length ? { categories: t.categories } : {}),
    });
    if (t.kind === 'Service') {
      resources.push({
        name: 'services/proxy',
        singularName: '',
        namespaced: true,
        kind: 'ServiceProxyOptions',
        verbs: ['create', 'delete', 'get', 'patch', 'update'],
      });
    }
    if (t.statusSubresource) {
      resources.push({
        name: `${t.resource}/status`,
        singularName: '',
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion(gv),
    resources,
  };
}

export function versionInfo() {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0-standin',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.4',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}
