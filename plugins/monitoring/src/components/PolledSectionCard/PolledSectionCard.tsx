import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import { InfoCard, Progress } from '@backstage/core-components';
import { PartialFailure } from '@prometheus-ocs/plugin-monitoring-common';
import { PolledAsyncState } from '../../hooks/usePolledAsync';
import { LastUpdated } from '../LastUpdated';
import { PartialFailures, SectionError } from '../SectionMessages';

/**
 * The frame every auto-refreshed section of the tab shares: a card with its last-updated time
 * and refresh button, its own error (so one failing section never blanks the others, and stale
 * data stays visible under the error), the upstreams that failed in a partial result, and a
 * progress bar until the first answer.
 */
export function PolledSectionCard<
  T extends { failures?: PartialFailure[] },
>(props: {
  title: string;
  /** what the section shows, for the error message ("Could not load <what>") */
  what: string;
  state: PolledAsyncState<T>;
  /** messages shown above the content, e.g. the error of a user action */
  notices?: ReactNode;
  /** extra content of the card outside the column, e.g. dialogs */
  extra?: ReactNode;
  children?: ReactNode;
}) {
  const { state } = props;
  const value = state.value;
  return (
    <InfoCard
      title={props.title}
      subheader={
        <LastUpdated
          lastUpdated={state.lastUpdated}
          loading={state.loading}
          onRefresh={state.refresh}
        />
      }
    >
      <Box display="flex" flexDirection="column" style={{ gap: 8 }}>
        {state.error && (
          <SectionError what={props.what} error={state.error} stale={!!value} />
        )}
        {props.notices}
        <PartialFailures failures={value?.failures} />
        {value ? props.children : !state.error && <Progress />}
      </Box>
      {props.extra}
    </InfoCard>
  );
}
