import CircularProgress from '@material-ui/core/CircularProgress';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import RefreshIcon from '@material-ui/icons/Refresh';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
}));

/** "Updated 14:03:12" plus a refresh button; spins while a refresh runs. */
export function LastUpdated(props: {
  lastUpdated?: Date;
  loading: boolean;
  onRefresh: () => void;
}) {
  const { lastUpdated, loading, onRefresh } = props;
  const classes = useStyles();
  return (
    <span className={classes.root}>
      <Typography variant="caption" color="textSecondary">
        {lastUpdated
          ? `Updated ${lastUpdated.toLocaleTimeString()}`
          : 'Not loaded yet'}
      </Typography>
      <Tooltip title="Refresh now">
        <span>
          <IconButton
            size="small"
            aria-label="Refresh"
            onClick={onRefresh}
            disabled={loading}
          >
            {loading ? <CircularProgress size={18} /> : <RefreshIcon />}
          </IconButton>
        </span>
      </Tooltip>
    </span>
  );
}
