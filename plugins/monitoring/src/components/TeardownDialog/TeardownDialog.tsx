import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  StatusResponse,
  TeardownResponse,
} from '@prometheus-ocs/plugin-monitoring-common';
import { MonitoringApi } from '../../api';
import { describeObject, isSharedObject, objectKey } from '../../utils/objects';
import { ActionError } from '../SectionMessages';
import { StateTone } from '../StateLabel';
import { ObjectResultTable } from '../ObjectStateTable';
import { MONITORING_ENABLED_ANNOTATION } from '../../annotations';

type TeardownResult = TeardownResponse['objects'][number]['result'];

const RESULT_TONE: Record<TeardownResult, StateTone> = {
  deleted: 'ok',
  kept: 'neutral',
  'not-found': 'neutral',
  failed: 'error',
};

/**
 * Confirms and runs the teardown of an entity's monitoring resources. Names
 * every existing object; the namespace's shared objects are removed only
 * with its last opted-in entity, which the backend reports as "kept".
 */
export function TeardownDialog(props: {
  api: MonitoringApi;
  entityRef: CompoundEntityRef;
  status: StatusResponse;
  onClose: (changed: boolean) => void;
}) {
  const { api, entityRef, status, onClose } = props;
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<Error>();
  const [result, setResult] = useState<TeardownResponse>();

  const existing = status.objects.filter(o => o.state !== 'missing');
  const own = existing.filter(o => !isSharedObject(o));
  const shared = existing.filter(isSharedObject);

  const teardown = async () => {
    setRunning(true);
    setError(undefined);
    try {
      setResult(await api.teardown(entityRef));
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setRunning(false);
    }
  };

  return (
    <Dialog
      open
      onClose={() => onClose(!!result)}
      maxWidth="sm"
      fullWidth
      aria-labelledby="monitoring-teardown-title"
    >
      <DialogTitle id="monitoring-teardown-title">
        Disable monitoring for {entityRef.name}?
      </DialogTitle>
      <DialogContent dividers>
        {result ? (
          <>
            <Alert severity={result.ok ? 'success' : 'error'} role="status">
              {result.ok
                ? 'Monitoring resources removed.'
                : 'Some objects could not be removed; see the messages below.'}
            </Alert>
            <ObjectResultTable
              label="Teardown results"
              objects={result.objects}
              tones={RESULT_TONE}
            />
            {status.enabled && (
              <Typography variant="body2" style={{ marginTop: 16 }}>
                The entity still has{' '}
                <code>{MONITORING_ENABLED_ANNOTATION}</code> set to "true";
                remove it from catalog-info.yaml so monitoring is not enabled
                again by accident.
              </Typography>
            )}
          </>
        ) : (
          <>
            <Typography variant="body2" paragraph>
              This deletes the following objects from cluster "{status.cluster}
              ":
            </Typography>
            <ul aria-label="Objects to remove">
              {own.map(o => (
                <li key={objectKey(o)}>{describeObject(o)}</li>
              ))}
            </ul>
            {shared.length > 0 && (
              <>
                <Typography variant="body2">
                  Shared by the namespace; removed only if no other entity in it
                  is still monitored:
                </Typography>
                <ul aria-label="Shared objects">
                  {shared.map(o => (
                    <li key={objectKey(o)}>{describeObject(o)}</li>
                  ))}
                </ul>
              </>
            )}
            <Typography variant="body2">
              Metrics stored by a removed Prometheus are lost.
            </Typography>
            {error && <ActionError action="disable monitoring" error={error} />}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(!!result)}>
          {result ? 'Close' : 'Cancel'}
        </Button>
        {!result && (
          <Button
            variant="contained"
            color="secondary"
            disabled={running}
            onClick={teardown}
          >
            {running ? 'Removing…' : 'Disable monitoring'}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
