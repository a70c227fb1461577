import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  AlertInfo,
  CreateSilenceRequest,
} from '@prometheus-ocs/plugin-monitoring-common';
import { formatMinutes } from '../../utils/formatTime';
import { ActionError } from '../SectionMessages';

/** Durations offered, in minutes. */
export const SILENCE_DURATIONS = [30, 60, 120, 240, 480, 1440, 4320, 10080];

/**
 * Silences one alert of the entity in the shared Alertmanager. The backend
 * pins the silence to the entity's labels and this alert's name, so nothing
 * else is muted.
 */
export function SilenceDialog(props: {
  alert: AlertInfo;
  onSubmit: (request: CreateSilenceRequest) => Promise<void>;
  onClose: () => void;
}) {
  const { alert, onSubmit, onClose } = props;
  const [duration, setDuration] = useState(120);
  const [comment, setComment] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error>();
  const commentMissing = comment.trim() === '';

  const submit = async () => {
    setSubmitting(true);
    setError(undefined);
    try {
      await onSubmit({
        durationMinutes: duration,
        comment: comment.trim(),
        alertname: alert.name,
        // the Alertmanager of the cluster the alert was seen in
        cluster: alert.cluster,
      });
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      maxWidth="sm"
      fullWidth
      aria-labelledby="monitoring-silence-title"
    >
      <DialogTitle id="monitoring-silence-title">
        Silence {alert.name}
      </DialogTitle>
      <DialogContent dividers>
        <Typography variant="body2" paragraph>
          Alertmanager stops notifying about {alert.name} alerts of this entity
          for the chosen time. They stay visible here as silenced.
        </Typography>
        <TextField
          id="monitoring-silence-duration"
          select
          label="Duration"
          value={duration}
          onChange={e => setDuration(Number(e.target.value))}
          fullWidth
          margin="normal"
          variant="outlined"
        >
          {SILENCE_DURATIONS.map(minutes => (
            <MenuItem key={minutes} value={minutes}>
              {formatMinutes(minutes)}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          id="monitoring-silence-comment"
          label="Comment"
          value={comment}
          onChange={e => setComment(e.target.value)}
          required
          fullWidth
          multiline
          minRows={2}
          margin="normal"
          variant="outlined"
          helperText="Why is it silenced? Shown to everyone in Alertmanager."
        />
        {error && <ActionError action="create the silence" error={error} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={commentMissing || submitting}
          onClick={submit}
        >
          {submitting ? 'Silencing…' : 'Silence'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
