import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { CodeSnippet, EmptyState, InfoCard } from '@backstage/core-components';
import { OPT_IN_SNIPPET } from '../../annotations';

/**
 * Shown while the entity has not opted in: explains the opt-in annotation
 * (the catalog is the source of truth, so enabling starts there) and offers
 * a preview of the resources opting in would create.
 */
export function NotOptedInState(props: {
  entityName: string;
  onPreview: () => void;
  /** 'card' for the overview-page card: no illustration */
  variant: 'page' | 'card';
}) {
  const { entityName, onPreview, variant } = props;
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
        other setting has a default. Once the catalog has picked it up, owners
        of the entity can enable monitoring here in one click.
      </Typography>
      <CodeSnippet text={OPT_IN_SNIPPET} language="yaml" showCopyCodeButton />
      <Box mt={2}>
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
