/**
 * The `prometheus-ocs` command line of Prometheus OCS for Backstage: renders the same
 * prometheus-operator manifests as the Backstage plugin from catalog-info.yaml files.
 * Loading this module runs the CLI on `process.argv`.
 */
import { runPrometheusOcsCli } from './runCli';

runPrometheusOcsCli(process.argv.slice(2), {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
  // `yarn prometheus-ocs` runs from the repository root; INIT_CWD is where the user typed it.
  cwd: process.env.INIT_CWD || process.cwd(),
  env: process.env,
}).then(
  code => {
    process.exitCode = code;
  },
  error => {
    process.stderr.write(
      `prometheus-ocs: ${error && error.stack ? error.stack : error}\n`,
    );
    process.exitCode = 2;
  },
);
