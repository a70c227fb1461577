import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { AnnotationProblem } from '@prometheus-ocs/plugin-monitoring-common';

/**
 * Invalid annotation values, each naming the annotation, the offending value
 * and the rule it breaks. Nothing can be planned or applied until they are
 * fixed in the entity's catalog-info.yaml.
 */
export function AnnotationProblemsPanel(props: {
  problems?: AnnotationProblem[];
}) {
  const problems = props.problems ?? [];
  if (problems.length === 0) {
    return null;
  }
  return (
    <Alert severity="error" role="alert">
      <AlertTitle>
        Invalid monitoring annotation{problems.length > 1 ? 's' : ''}
      </AlertTitle>
      Fix {problems.length > 1 ? 'these values' : 'this value'} in the entity's
      catalog-info.yaml; resources cannot be planned or applied until then.
      <ul>
        {problems.map(problem => (
          <li key={`${problem.annotation}:${problem.message}`}>
            <code>{problem.annotation}</code>
            {problem.value !== undefined && (
              <>
                {' = '}
                <code>{JSON.stringify(problem.value)}</code>
              </>
            )}
            : {problem.message}
          </li>
        ))}
      </ul>
    </Alert>
  );
}
