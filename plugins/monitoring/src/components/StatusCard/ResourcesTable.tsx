import Typography from '@material-ui/core/Typography';
import {
  ObjectState,
  StatusResponse,
} from '@prometheus-ocs/plugin-monitoring-common';
import { StateTone } from '../StateLabel';
import { FieldList, ObjectStateTable } from '../ObjectStateTable';

const STATE: Record<ObjectState, { tone: StateTone; label: string }> = {
  'in-sync': { tone: 'ok', label: 'in sync' },
  drifted: { tone: 'warning', label: 'drifted' },
  missing: { tone: 'error', label: 'missing' },
};

/** Every generated object and how the cluster compares to the rendering. */
export function ResourcesTable(props: { objects: StatusResponse['objects'] }) {
  return (
    <ObjectStateTable
      label="Resources"
      objects={props.objects}
      stateHeader="State"
      state={o => STATE[o.state]}
      detailHeader="Details"
      detail={o => (
        <>
          {o.message && <Typography variant="body2">{o.message}</Typography>}
          <FieldList fields={o.driftedFields} />
        </>
      )}
    />
  );
}
