import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { MONITORING_ENABLED_ANNOTATION } from '../../annotations';

/**
 * Recommends recording a one-click enable in the catalog: without the opt-in
 * annotation nothing in source control says the entity is monitored, and
 * every later sync has to ignore the missing opt-in again.
 */
export function OptInReminder(props: { title: string }) {
  return (
    <Alert severity="info">
      <AlertTitle>{props.title}</AlertTitle>
      Add <code>{MONITORING_ENABLED_ANNOTATION}: "true"</code> to the entity's
      catalog-info.yaml so the choice is kept in source control.
    </Alert>
  );
}
