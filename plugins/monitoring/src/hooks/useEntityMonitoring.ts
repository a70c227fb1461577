import { useMemo } from 'react';
import {
  CompoundEntityRef,
  Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { MonitoringApi, monitoringApiRef } from '../api';

/** The current entity, its ref and the monitoring client, for the cards. */
export function useEntityMonitoring(): {
  entity: Entity;
  entityRef: CompoundEntityRef;
  entityRefString: string;
  api: MonitoringApi;
} {
  const { entity } = useEntity();
  const api = useApi(monitoringApiRef);
  const entityRefString = stringifyEntityRef(entity);
  // memoised on its parts so polling hooks do not restart on every render
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  const entityRef = useMemo(
    () => ({ kind, namespace, name }),
    [kind, namespace, name],
  );
  return { entity, entityRef, entityRefString, api };
}
