import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import type { AppConfig, Config } from '@backstage/config';
import { parseDocument } from 'yaml';

/** Result of {@link loadCliConfig}. */
export interface LoadedCliConfig {
  config: Config;
  /** Absolute paths of the files that were read, in priority order (last wins). */
  files: string[];
}

/**
 * Replaces `${NAME}` with the environment variable's value, as Backstage's config loader does.
 * Unset variables are left as written (the CLI does not need secrets such as cluster tokens, so
 * their absence must not stop a render); `$${...}` escapes a literal `${...}`.
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$?\$\{([^{}]*)\}/g, (match, name: string) => {
      if (match.startsWith('$$')) {
        return match.slice(1);
      }
      const resolved = env[name.trim()];
      return resolved === undefined ? match : resolved;
    });
  }
  if (Array.isArray(value)) {
    return value.map(item => substituteEnv(item, env));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substituteEnv(v, env)]),
    );
  }
  return value;
}

/**
 * Reads app-config files for the CLI. With no `--config`, `app-config.yaml` and
 * `app-config.local.yaml` in the working directory are used when present (as `backstage-cli` does).
 * Later files take precedence over earlier ones.
 */
export function loadCliConfig(
  configPaths: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): LoadedCliConfig {
  const explicit = configPaths.length > 0;
  const candidates = explicit
    ? configPaths.map(p => path.resolve(options.cwd, p))
    : ['app-config.yaml', 'app-config.local.yaml']
        .map(p => path.resolve(options.cwd, p))
        .filter(p => fs.existsSync(p));
  const configs: AppConfig[] = [];
  for (const file of candidates) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(
        `Cannot read config file ${file}: ${(error as Error).message}`,
      );
    }
    const doc = parseDocument(text, { prettyErrors: false });
    if (doc.errors.length > 0) {
      throw new Error(
        `Config file ${file} is not valid YAML: ${doc.errors[0].message}`,
      );
    }
    const data = doc.toJS({ maxAliasCount: 100 }) ?? {};
    if (typeof data !== 'object' || Array.isArray(data)) {
      throw new Error(`Config file ${file} must contain a YAML mapping`);
    }
    configs.push({
      context: path.basename(file),
      data: substituteEnv(data, options.env) as AppConfig['data'],
    });
  }
  return { config: ConfigReader.fromConfigs(configs), files: candidates };
}
