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
  DEFAULT_GRAPH_RANGE_SECONDS,
  QueryRangeResponse,
  StatusResponse,
  TargetsResponse,
} from '@prometheus-ocs/plugin-monitoring-common';
import { EntityOverview, OverviewSectionResult, QueryRangePanel } from '../api';
import { useEntityMonitoring } from './useEntityMonitoring';
import { PolledAsyncState, usePolledAsync } from './usePolledAsync';

/** Each section of the tab as if it were polled on its own. */
export interface EntityOverviewState {
  status: PolledAsyncState<StatusResponse>;
  targets: PolledAsyncState<TargetsResponse>;
  alerts: PolledAsyncState<AlertsResponse>;
  /**
   * The graph panels over the default window. A panel the backend's answer did not include is
   * absent (a backend that does not put graphs into the overview): the panel then loads itself.
   */
  graphs: Partial<
    Record<QueryRangePanel, PolledAsyncState<QueryRangeResponse>>
  >;
}

type Section = 'status' | 'targets' | 'alerts';
type Good = Record<string, { value: unknown; at?: Date }>;

const EntityOverviewContext = createContext<EntityOverviewState | undefined>(
  undefined,
);

/**
 * Polls what the tab shows — the entity's status, targets, alerts and the `graphs` panels over
 * their default window — with one request (`GET overview`) and splits the answer into one state
 * per section, with usePolledAsync's promises per section: a section that failed keeps its last
 * good value next to its error, and one failing section never blanks the others. A failure of the
 * whole request (403, the network) is every section's error.
 */
export function useEntityOverview(
  intervalMs: number,
  graphs: QueryRangePanel[] = [],
): EntityOverviewState {
  const { api, entityRef, entityRefString } = useEntityMonitoring();
  const graphsKey = graphs.join(',');
  const whole = usePolledAsync<EntityOverview>(
    () => api.getOverview(entityRef, { graphs }),
    `${entityRefString}?graphs=${graphsKey}`,
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
    const state = (
      key: string,
      answer: OverviewSectionResult<unknown> | undefined,
    ): PolledAsyncState<any> => {
      if (answer && !answer.error) {
        sections[key] = { value: answer.value, at: lastUpdated };
      }
      return {
        value: sections[key]?.value,
        lastUpdated: sections[key]?.at,
        error: error ?? answer?.error,
        loading,
        refresh,
      };
    };
    const panels = graphsKey ? (graphsKey.split(',') as QueryRangePanel[]) : [];
    return {
      status: state('status', value?.status),
      targets: state('targets', value?.targets),
      alerts: state('alerts', value?.alerts),
      graphs: Object.fromEntries(
        panels
          // Until the first answer every panel waits for it.
          .filter(panel => !value || value.graphs?.[panel])
          .map(panel => [
            panel,
            state(`graph:${panel}`, value?.graphs?.[panel]),
          ]),
      ),
    };
  }, [value, error, loading, lastUpdated, refresh, graphsKey]);
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

/**
 * A graph panel's state: from the tab's shared overview request while it shows the default window
 * and the overview carries the panel, else polled by the panel itself with `load` (another
 * range chosen, or a graphs card placed on its own).
 */
export function useOverviewGraph(
  panel: QueryRangePanel,
  rangeSeconds: number,
  load: () => Promise<QueryRangeResponse>,
  intervalMs: number,
): PolledAsyncState<QueryRangeResponse> {
  const shared = useContext(EntityOverviewContext);
  const { entityRefString } = useEntityMonitoring();
  const fromOverview =
    rangeSeconds === DEFAULT_GRAPH_RANGE_SECONDS
      ? shared?.graphs[panel]
      : undefined;
  const own = usePolledAsync(
    load,
    `${entityRefString}:${panel}:${rangeSeconds}`,
    intervalMs,
    !fromOverview,
  );
  return fromOverview ?? own;
}
