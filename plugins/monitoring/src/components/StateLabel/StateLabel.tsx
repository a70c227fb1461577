import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';

/** How a value should look: Backstage's status indicators with a label. */
export type StateTone = 'ok' | 'warning' | 'error' | 'pending' | 'neutral';

const INDICATORS = {
  ok: StatusOK,
  warning: StatusWarning,
  error: StatusError,
  pending: StatusPending,
  neutral: StatusAborted,
};

export function StateLabel(props: { tone: StateTone; children: string }) {
  const Indicator = INDICATORS[props.tone];
  return <Indicator>{props.children}</Indicator>;
}
