import {
  createContext,
  createElement,
  ReactNode,
  useContext,
  useMemo,
  useRef,
} from 'react';
import {
  AlertsResponse,
  StatusResponse,
  TargetsResponse,
} from '@prometheus-ocs/plugin-monitoring-common';
import { EntityOverview } from '../api';
import { useEntityMonitoring } from './useEntityMonitoring';
import { PolledAsyncState, usePolledAsync } from './usePolledAsync';

/** Each polled section of the tab as if it were polled on its own. */
export interface EntityOverviewState {
  status: PolledAsyncState<StatusResponse>;
  targets: PolledAsyncState<TargetsResponse>;
  alerts: PolledAsyncState<AlertsResponse>;
}

type Section = keyof EntityOverviewState;
type Good = { [K in Section]?: { value: unknown; at?: Date } };

const EntityOverviewContext = createContext<EntityOverviewState | undefined>(
  undefined,
);

/**
 * Polls the entity's status, targets and alerts with one request (`GET overview`) and splits the
 * answer into one state per section, with usePolledAsync's promises per section: a section that
 * failed keeps its last good value next to its error, and one failing section never blanks the
 * others. A failure of the whole request (403, the network) is every section's error.
 */
export function useEntityOverview(intervalMs: number): EntityOverviewState {
  const { api, entityRef, entityRefString } = useEntityMonitoring();
  const whole = usePolledAsync<EntityOverview>(
    () => api.getOverview(entityRef),
    entityRefString,
    intervalMs,
  );
  // The last good value of each section, for this entity only.
  const good = useRef<{ key: string; sections: Good }>({
    key: entityRefString,
    sections: {},
  });
  if (good.current.key !== entityRefString) {
    good.current = { key: entityRefString, sections: {} };
  }
  const { value, error, loading, lastUpdated, refresh } = whole;
  return useMemo(() => {
    const sections = good.current.sections;
    const state = (section: Section): PolledAsyncState<any> => {
      const answer = value?.[section];
      if (answer && !answer.error) {
        sections[section] = { value: answer.value, at: lastUpdated };
      }
      return {
        value: sections[section]?.value,
        lastUpdated: sections[section]?.at,
        error: error ?? answer?.error,
        loading,
        refresh,
      };
    };
    return {
      status: state('status'),
      targets: state('targets'),
      alerts: state('alerts'),
    };
  }, [value, error, loading, lastUpdated, refresh]);
}

/** Hands the tab's one overview request to the section cards below it. */
export function EntityOverviewProvider(props: {
  value: EntityOverviewState;
  children?: ReactNode;
}) {
  return createElement(
    EntityOverviewContext.Provider,
    { value: props.value },
    props.children,
  );
}

/**
 * A section's state: from the tab's shared overview request when the card is inside the
 * Monitoring tab, else polled by the card itself with `load` (a card placed on its own).
 */
export function useOverviewSection<K extends Section>(
  section: K,
  load: () => Promise<NonNullable<EntityOverviewState[K]['value']>>,
  intervalMs: number,
): EntityOverviewState[K] {
  const shared = useContext(EntityOverviewContext);
  const { entityRefString } = useEntityMonitoring();
  const own = usePolledAsync(load, entityRefString, intervalMs, !shared);
  return (shared?.[section] ?? own) as EntityOverviewState[K];
}
