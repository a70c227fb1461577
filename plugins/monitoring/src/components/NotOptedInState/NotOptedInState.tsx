import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { CodeSnippet, EmptyState, InfoCard } from '@backstage/core-components';
import { OPT_IN_SNIPPET } from '../../annotations';

/**
 * Shown while the entity has not opted in and none of its resources exist:
 * explains the opt-in annotation (the catalog is the source of truth),
 * previews the resources opting in would create and — for users allowed to
 * apply — enables monitoring right away.
 */
export function NotOptedInState(props: {
  entityName: string;
  onPreview: () => void;
  /** set when the user may apply here: offers "Enable monitoring" */
  onEnable?: () => void;
  /** 'card' for the overview-page card: no illustration */
  variant: 'page' | 'card';
}) {
  const { entityName, onPreview, onEnable, variant } = props;
  // inline only: EmptyState renders the description inside a <p>
  const explanation = (
    <>
      Prometheus OCS runs a managed Prometheus in the namespace of{' '}
      <strong>{entityName}</strong>, scrapes its metrics endpoint through a
      ServiceMonitor and routes alerts to the shared Alertmanager.
    </>
  );
  const action = (
    <Box>
      <Typography variant="body1" paragraph>
        To opt in, add this annotation to the entity's catalog-info.yaml. Every
        other setting has a default.
        {onEnable &&
          ' You can also enable monitoring here right away; the annotation then keeps that choice in source control.'}
      </Typography>
      <CodeSnippet text={OPT_IN_SNIPPET} language="yaml" showCopyCodeButton />
      <Box mt={2} display="flex" style={{ gap: 8 }}>
        {onEnable && (
          <Button variant="contained" color="primary" onClick={onEnable}>
            Enable monitoring
          </Button>
        )}
        <Button variant="outlined" color="primary" onClick={onPreview}>
          Preview resources
        </Button>
      </Box>
    </Box>
  );

  if (variant === 'card') {
    return (
      <InfoCard title="Monitoring is not enabled">
        <Typography variant="body1" paragraph>
          {explanation}
        </Typography>
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
