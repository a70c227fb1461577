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

/**
 * Backstage's Status* components mark everything inside them `aria-hidden`, which would hide the
 * state ("in sync", "down", "firing") from screen readers and from role-based queries; so only the
 * icon goes inside the indicator and the text sits beside it. `nowrap` keeps short states from
 * being broken mid-word in narrow table columns.
 */
export function StateLabel(props: { tone: StateTone; children: string }) {
  const Indicator = INDICATORS[props.tone];
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      <Indicator />
      {props.children}
    </span>
  );
}
