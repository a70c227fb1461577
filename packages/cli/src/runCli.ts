import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { readRenderOptions } from '@prometheus-ocs/plugin-monitoring-common';
import { loadCliConfig } from './loadCliConfig';
import { readEntityFile } from './readEntityFile';
import { renderEntities, renderedObjectsToYaml } from './renderEntities';

/** Where the CLI reads and writes; injectable for tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Directory relative paths are resolved against. */
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const collect = (value: string, previous: string[] | undefined) => [
  ...(previous ?? []),
  value,
];

async function render(
  file: string,
  opts: { config: string[]; cluster?: string; keepGoing?: boolean },
  io: CliIo,
): Promise<number> {
  let options;
  let configFiles: string[];
  try {
    const loaded = loadCliConfig(opts.config, { cwd: io.cwd, env: io.env });
    configFiles = loaded.files;
    options = readRenderOptions(loaded.config);
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}\n`);
    return 1;
  }
  if (configFiles.length === 0) {
    io.stderr(
      'note: no app-config.yaml found and no --config given; every namespace is denied until monitoring.clusters allows it\n',
    );
  }

  const contents = readEntityFile(path.resolve(io.cwd, file));
  const result = renderEntities(contents.entities, options, {
    onlyCluster: opts.cluster,
  });
  for (const note of [...contents.notes, ...result.notes]) {
    io.stderr(`note: ${note}\n`);
  }
  const errors = [...contents.errors, ...result.errors];
  for (const error of errors) {
    io.stderr(`error: ${error}\n`);
  }
  if (errors.length === 0 || opts.keepGoing) {
    io.stdout(renderedObjectsToYaml(result.objects));
  }
  if (errors.length > 0) {
    io.stderr(
      `${errors.length} problem${errors.length === 1 ? '' : 's'} found; ${
        opts.keepGoing
          ? 'printed the manifests of the valid entities only'
          : 'nothing was printed'
      }\n`,
    );
    return 1;
  }
  if (result.rendered.length === 0) {
    io.stderr(`note: no entity in ${file} opted in; nothing to render\n`);
  }
  return 0;
}

/**
 * The `prometheus-ocs` command line. Returns the process exit code:
 * 0 success, 1 invalid input (every message on stderr), 2 usage error.
 */
export async function runPrometheusOcsCli(
  argv: string[],
  io: CliIo,
): Promise<number> {
  let exitCode = 0;
  const program = new Command('prometheus-ocs')
    .description(
      'Prometheus OCS for Backstage: render prometheus-operator resources from catalog entities',
    )
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command('render')
    .description(
      'Print the manifests (multi-document YAML) of every opted-in entity in a catalog-info.yaml, with the same renderer as the Backstage plugin',
    )
    .argument(
      '<catalog-info.yaml>',
      'entity file; may contain several YAML documents',
    )
    .option(
      '--config <path>',
      'app-config file with monitoring.* settings; repeatable, later files win (default: ./app-config.yaml and ./app-config.local.yaml if present)',
      collect,
    )
    .option(
      '--cluster <name>',
      'render for this cluster only: the target of entities without backstage.io/kubernetes-cluster; entities annotated with another cluster are skipped',
    )
    .option(
      '--keep-going',
      'print the manifests of valid entities even when others are invalid (exit code stays 1)',
    )
    .action(
      async (
        file: string,
        opts: { config?: string[]; cluster?: string; keepGoing?: boolean },
      ) => {
        exitCode = await render(
          file,
          { ...opts, config: opts.config ?? [] },
          io,
        );
      },
    );

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0
      return error.exitCode === 0 ? 0 : 2;
    }
    throw error;
  }
  return exitCode;
}
