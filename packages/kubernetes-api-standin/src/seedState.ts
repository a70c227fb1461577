/*
 * The objects of a fresh stand-in: its namespaces, the Services behind namespace-specific proxy
 * targets (like a shared Alertmanager deployed by the cluster admins) and the caller's initial
 * objects, written the way a controller writes them.
 */
import { DEFAULT_NAMESPACES } from './defaults';
import type { KubeObject } from './objectStore';
import type { StandInRuntime } from './standInRuntime';

/** Writes the initial state into an empty store. */
export function seedState(
  runtime: StandInRuntime,
  options: { namespaces?: string[]; initialObjects?: KubeObject[] },
): void {
  const { findType, handler, store } = runtime;
  const nsType = findType('v1', 'Namespace')!;
  for (const ns of options.namespaces ?? DEFAULT_NAMESPACES) {
    handler.controllerWrite(
      nsType,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      'stand-in',
    );
  }
  // Services behind namespace-specific proxy targets exist from the start, like a shared
  // Alertmanager deployed by the cluster admins.
  const svcType = findType('v1', 'Service')!;
  for (const t of runtime.proxyTargets()) {
    if (t.namespace === '*') continue;
    if (
      store.get({
        group: '',
        resource: 'services',
        namespace: t.namespace,
        name: t.service,
      })
    )
      continue;
    if (
      !store.get({
        group: '',
        resource: 'namespaces',
        namespace: '',
        name: t.namespace,
      })
    ) {
      handler.controllerWrite(
        nsType,
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: t.namespace },
        },
        'stand-in',
      );
    }
    const targetPort = Number(new URL(t.target).port || 80);
    const port = /^\d+$/.test(t.port) ? Number(t.port) : targetPort;
    handler.controllerWrite(
      svcType,
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: t.service,
          namespace: t.namespace,
          labels: { 'app.kubernetes.io/name': t.service },
        },
        spec: {
          ports: [
            {
              ...(/^\d+$/.test(t.port) ? {} : { name: t.port }),
              port,
              targetPort: port,
              protocol: 'TCP',
            },
          ],
          selector: { 'app.kubernetes.io/name': t.service },
        },
      },
      'stand-in',
    );
  }
  for (const obj of options.initialObjects ?? []) {
    const t = findType(obj.apiVersion, obj.kind);
    if (!t)
      throw new Error(
        `initial object ${obj.apiVersion} ${obj.kind} is not a served kind`,
      );
    handler.controllerWrite(t, obj, 'stand-in');
  }
}
