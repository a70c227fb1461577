import { ApplyResponse } from '@prometheus-ocs/plugin-monitoring-common';
import { StateTone } from '../StateLabel';
import { ObjectStateTable } from '../ObjectStateTable';

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
    <ObjectStateTable
      label="Apply results"
      objects={props.objects}
      stateHeader="Result"
      state={o => ({ tone: RESULT_TONE[o.result], label: o.result })}
      detailHeader="Message"
      detail={o => o.message ?? ''}
    />
  );
}
