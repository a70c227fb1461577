import Typography from '@material-ui/core/Typography';
import {
  PlanAction,
  PlanResponse,
} from '@prometheus-ocs/plugin-monitoring-common';
import { StateTone } from '../StateLabel';
import { FieldList, ObjectStateTable } from '../ObjectStateTable';

const ACTION_TONE: Record<PlanAction, StateTone> = {
  create: 'ok',
  update: 'warning',
  unchanged: 'neutral',
};

/** The diff of a plan: what would be created, updated or left alone. */
export function PlanChangesTable(props: { objects: PlanResponse['objects'] }) {
  return (
    <ObjectStateTable
      label="Planned changes"
      objects={props.objects}
      stateHeader="Change"
      state={o => ({
        tone: o.error ? 'error' : ACTION_TONE[o.action],
        label: o.action,
      })}
      nameNote={o =>
        o.error && (
          <Typography variant="body2" color="error">
            {o.error}
          </Typography>
        )
      }
      detailHeader="Changed fields"
      detail={o => <FieldList fields={o.changedFields} empty="–" />}
    />
  );
}
