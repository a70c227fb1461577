import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { CodeSnippet, EmptyState, InfoCard } from '@backstage/core-components';
import { OPT_IN_SNIPPET } from '../../annotations';

/**
 * Shown while the entity has not opted in and nothing is deployed: explains
 * the opt-in annotation and, for users allowed to apply, offers to enable
 * monitoring right away.
 */
export function NotOptedInState(props: {
  entityName: string;
  /** the user may apply and the backend can act for this entity */
  canEnable: boolean;
  onEnable: () => void;
  /** 'card' for the overview-page card: no illustration */
  variant: 'page' | 'card';
}) {
  const { entityName, canEnable, onEnable, variant } = props;
  const explanation = (
    <>
      <Typography variant="body1" paragraph>
        Prometheus OCS runs a managed Prometheus in the namespace of{' '}
        <strong>{entityName}</strong>, scrapes its metrics endpoint through a
        ServiceMonitor and routes alerts to the shared Alertmanager.
      </Typography>
      <Typography variant="body1" paragraph>
        To opt in, add this annotation to the entity's catalog-info.yaml. Every
        other setting has a default.
      </Typography>
    </>
  );
  const action = (
    <Box>
      <CodeSnippet text={OPT_IN_SNIPPET} language="yaml" showCopyCodeButton />
      {canEnable && (
        <Box mt={2}>
          <Typography variant="body2" paragraph>
            You can also create the resources now: you will see every object and
            the changes before anything is applied.
          </Typography>
          <Button variant="contained" color="primary" onClick={onEnable}>
            Enable monitoring
          </Button>
        </Box>
      )}
    </Box>
  );

  if (variant === 'card') {
    return (
      <InfoCard title="Monitoring is not enabled">
        {explanation}
        {action}
      </InfoCard>
    );
  }
  return (
    <EmptyState
      missing="field"
      title="Monitoring is not enabled"
      description={explanation}
      action={action}
    />
  );
}
