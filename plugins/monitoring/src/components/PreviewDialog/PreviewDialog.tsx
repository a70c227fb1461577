import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { Progress } from '@backstage/core-components';
import { Entity } from '@backstage/catalog-model';
import { MonitoringApi } from '../../api';
import { usePolledAsync } from '../../hooks/usePolledAsync';
import { MONITORING_ENABLED_ANNOTATION } from '../../annotations';
import { YamlViewer } from '../ApplyDialog/YamlViewer';
import { ActionError } from '../SectionMessages';

/**
 * What opting in would create, rendered by the backend without touching any
 * cluster: useful to review before adding the annotation, or to commit the
 * manifests to a GitOps repository instead.
 */
export function PreviewDialog(props: {
  api: MonitoringApi;
  entity: Entity;
  onClose: () => void;
}) {
  const { api, entity, onClose } = props;
  // loaded once (no polling), again only if the entity itself changes
  const preview = usePolledAsync(
    () => api.previewResources(entity),
    JSON.stringify(entity),
    0,
  );

  let content;
  if (preview.loading) {
    content = <Progress />;
  } else if (preview.error) {
    content = (
      <ActionError action="render the resources" error={preview.error} />
    );
  } else if (preview.value) {
    const { settings, objects, yaml } = preview.value;
    content = (
      <>
        <Typography variant="body2" paragraph>
          With <code>{MONITORING_ENABLED_ANNOTATION}: "true"</code>, these{' '}
          {objects.length} objects would be managed in cluster "
          {settings.cluster}", namespace "{settings.namespace}". Nothing has
          been written. Once the annotation is in the catalog, enable monitoring
          from this tab to apply them.
        </Typography>
        <YamlViewer
          yaml={yaml}
          objects={objects.map(manifest => ({
            apiVersion: manifest.apiVersion,
            kind: manifest.kind,
            namespace: manifest.metadata.namespace,
            name: manifest.metadata.name,
            manifest,
          }))}
          fileName={`${entity.metadata.name}-monitoring.yaml`}
        />
      </>
    );
  }

  return (
    <Dialog
      open
      onClose={onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="monitoring-preview-title"
    >
      <DialogTitle id="monitoring-preview-title">
        Resources for {entity.metadata.name}
      </DialogTitle>
      <DialogContent dividers>{content}</DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
