import { ReactNode } from 'react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { ObjectRef } from '@prometheus-ocs/plugin-monitoring-common';
import { StateLabel, StateTone } from '../StateLabel';
import { objectKey } from '../../utils/objects';

/**
 * One row per Kubernetes object: its state (a plan's change, an apply's or teardown's result,
 * drift), kind, name and details. The plan, apply, teardown and status views all list objects
 * this way, so they read alike.
 */
export function ObjectStateTable<T extends ObjectRef>(props: {
  label: string;
  objects: T[];
  stateHeader: string;
  state: (object: T) => { tone: StateTone; label: string };
  detailHeader: string;
  detail: (object: T) => ReactNode;
  /** Shown under the name, e.g. the error that stopped this object. */
  nameNote?: (object: T) => ReactNode;
}) {
  const { objects, state, detail, nameNote } = props;
  return (
    <Table size="small" aria-label={props.label}>
      <TableHead>
        <TableRow>
          <TableCell>{props.stateHeader}</TableCell>
          <TableCell>Kind</TableCell>
          <TableCell>Name</TableCell>
          <TableCell>{props.detailHeader}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {objects.map(object => {
          const { tone, label } = state(object);
          return (
            <TableRow key={objectKey(object)}>
              <TableCell>
                <StateLabel tone={tone}>{label}</StateLabel>
              </TableCell>
              <TableCell>{object.kind}</TableCell>
              <TableCell>
                {object.namespace ? `${object.namespace}/` : ''}
                {object.name}
                {nameNote?.(object)}
              </TableCell>
              <TableCell>{detail(object)}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

/** Per-object outcome of an action (apply, teardown), with the cluster's message. */
export function ObjectResultTable<
  R extends string,
  T extends ObjectRef & { result: R; message?: string },
>(props: { label: string; objects: T[]; tones: Record<R, StateTone> }) {
  return (
    <ObjectStateTable
      label={props.label}
      objects={props.objects}
      stateHeader="Result"
      state={o => ({ tone: props.tones[o.result], label: o.result })}
      detailHeader="Message"
      detail={o => o.message ?? ''}
    />
  );
}

/** Field paths, one per line (changed or drifted fields). */
export function FieldList(props: { fields?: string[]; empty?: string }) {
  if (!props.fields?.length) return <>{props.empty ?? null}</>;
  return (
    <>
      {props.fields.map(field => (
        <div key={field}>
          <code>{field}</code>
        </div>
      ))}
    </>
  );
}
