import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { PlanResponse } from '@prometheus-ocs/plugin-monitoring-common';
import { PlanChangesTable } from './PlanChangesTable';
import { YamlViewer } from './YamlViewer';

function summarize(plan: PlanResponse): string {
  const count = (action: string) =>
    plan.objects.filter(o => o.action === action).length;
  return `${count('create')} to create, ${count('update')} to update, ${count(
    'unchanged',
  )} unchanged`;
}

/**
 * A plan before it is applied: its summary, its errors, and the changes or the YAML of every
 * object. The selected tab is the dialog's, so it is kept while the dialog is open.
 */
export function PlanView(props: {
  plan: PlanResponse;
  entityRef: CompoundEntityRef;
  tab: number;
  onTabChange: (tab: number) => void;
}) {
  const { plan, entityRef, tab, onTabChange } = props;
  const nothingToDo = plan.objects.every(o => o.action === 'unchanged');
  const planErrors = plan.objects.filter(o => o.error).length;
  return (
    <>
      <Typography variant="body2" paragraph>
        Cluster "{plan.cluster}", namespace "{plan.namespace}":{' '}
        {summarize(plan)}.{' '}
        {nothingToDo
          ? 'Everything is already in sync.'
          : 'Nothing has been written yet.'}
      </Typography>
      {planErrors > 0 && (
        <Alert severity="warning" role="alert">
          {planErrors} object{planErrors > 1 ? 's have' : ' has'} errors
          (below); applying will fail for {planErrors > 1 ? 'them' : 'it'}.
        </Alert>
      )}
      <Tabs value={tab} onChange={(_, v) => onTabChange(v)}>
        <Tab label="Changes" />
        <Tab label="YAML" />
      </Tabs>
      <Box mt={2}>
        {tab === 0 ? (
          <PlanChangesTable objects={plan.objects} />
        ) : (
          <YamlViewer
            yaml={plan.yaml}
            objects={plan.objects}
            fileName={`${entityRef.name}-monitoring.yaml`}
          />
        )}
      </Box>
    </>
  );
}
