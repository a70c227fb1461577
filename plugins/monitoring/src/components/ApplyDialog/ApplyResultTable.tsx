import { ApplyResponse } from '@prometheus-ocs/plugin-monitoring-common';
import { StateTone } from '../StateLabel';
import { ObjectResultTable } from '../ObjectStateTable';

type ApplyResult = ApplyResponse['objects'][number]['result'];

const RESULT_TONE: Record<ApplyResult, StateTone> = {
  created: 'ok',
  updated: 'ok',
  unchanged: 'neutral',
  conflict: 'error',
  failed: 'error',
  skipped: 'warning',
};

/** Per-object outcome of an apply, with the cluster's message on failures. */
export function ApplyResultTable(props: { objects: ApplyResponse['objects'] }) {
  return (
    <ObjectResultTable
      label="Apply results"
      objects={props.objects}
      tones={RESULT_TONE}
    />
  );
}
