/*
 * The in-process view of a running stand-in's objects (`StandIn.state`), for tests that check
 * what the cluster holds without going through the API.
 */
import { BUILTIN_RESOURCE_TYPES, groupVersion } from './resourceTypes';
import type { StandInRuntime } from './standInRuntime';
import type { StandInState } from './types';

/** `StandIn.state` over the runtime's store. */
export function createStandInStateView(runtime: StandInRuntime): StandInState {
  const { crds, store, findType, reset } = runtime;
  return {
    get(ref) {
      // Falls back to every known type so tests can still read CRs while the operator is "uninstalled".
      const t =
        findType(ref.apiVersion, ref.kind) ??
        [...BUILTIN_RESOURCE_TYPES, ...crds.versions.map(v => v.type)].find(
          x => groupVersion(x) === ref.apiVersion && x.kind === ref.kind,
        );
      if (!t)
        throw new Error(
          `${ref.apiVersion} ${ref.kind} is not a kind the stand-in serves`,
        );
      return store.get({
        group: t.group,
        resource: t.resource,
        namespace: t.namespaced ? ref.namespace ?? '' : '',
        name: ref.name,
      });
    },
    list(ref) {
      const t = [
        ...BUILTIN_RESOURCE_TYPES,
        ...crds.versions.map(v => v.type),
      ].find(x => groupVersion(x) === ref.apiVersion && x.kind === ref.kind);
      if (!t)
        throw new Error(
          `${ref.apiVersion} ${ref.kind} is not a kind the stand-in serves`,
        );
      return store.list(
        t.group,
        t.resource,
        t.namespaced ? ref.namespace : undefined,
      );
    },
    resourceVersion: () => store.currentResourceVersion(),
    reset,
  };
}
