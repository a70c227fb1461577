/*
 * How the production profile starts a backend replica: from source (the default, TypeScript
 * transpiled on load as `yarn dev` does), or from the backend image's /app laid out by
 * scripts/image-layout.sh (`imageDir`), with the image's own CMD read from its Dockerfile so the
 * two never drift. Both run from a directory holding `examples/`: app-config.production.yaml
 * names the catalog files relative to the working directory, as the image (WORKDIR /app) needs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../environmentPaths';
import { BASE_CONFIG, PRODUCTION_CONFIG } from './productionConfig';

export const BACKEND_DOCKERFILE = join(
  REPO_ROOT,
  'packages/backend/Dockerfile',
);

export interface BackendCommand {
  command: string;
  args: string[];
  cwd: string;
  /** What the image's ENV sets and the command needs (the source run needs none). */
  env: Record<string, string>;
}

/** The image's CMD (exec form) and ENV lines, read from the Dockerfile. */
export function readImageEntrypoint(dockerfile = BACKEND_DOCKERFILE): {
  cmd: string[];
  env: Record<string, string>;
} {
  const text = readFileSync(dockerfile, 'utf8');
  const cmdLine = text.split('\n').find(line => line.startsWith('CMD '));
  if (!cmdLine) throw new Error(`${dockerfile} has no CMD line`);
  let cmd: unknown;
  try {
    cmd = JSON.parse(cmdLine.slice('CMD '.length));
  } catch {
    cmd = undefined; // shell form
  }
  if (
    !Array.isArray(cmd) ||
    cmd.length === 0 ||
    !cmd.every(part => typeof part === 'string')
  ) {
    throw new Error(
      `${dockerfile}: CMD must be in exec form (a JSON array of strings), got ${cmdLine}`,
    );
  }
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^ENV (\w+)=(?:"([^"]*)"|(\S*))\s*$/.exec(line);
    if (match) env[match[1]] = match[2] ?? match[3];
  }
  return { cmd: cmd as string[], env };
}

/**
 * The command of one replica; `localConfigs` (this machine's ports and URLs) are loaded after
 * app-config.yaml and app-config.production.yaml, as a deployment adds its own.
 */
export function backendCommand(
  localConfigs: string[],
  options: { imageDir?: string; nodeTransform: string },
): BackendCommand {
  const local = localConfigs.flatMap(file => ['--config', file]);
  if (options.imageDir) {
    if (!existsSync(join(options.imageDir, 'packages/backend/package.json'))) {
      throw new Error(
        `PROMETHEUS_OCS_BACKEND_IMAGE_DIR=${options.imageDir} holds no image layout (no packages/backend); create it with: bash scripts/image-layout.sh ${options.imageDir}`,
      );
    }
    const { cmd, env } = readImageEntrypoint();
    if (cmd[0] !== 'node') {
      throw new Error(
        `${BACKEND_DOCKERFILE}: CMD must start with node, got ${cmd[0]}`,
      );
    }
    return {
      // This machine's Node 22 stands in for the base image's.
      command: process.execPath,
      args: [...cmd.slice(1), ...local],
      cwd: options.imageDir,
      env,
    };
  }
  return {
    command: process.execPath,
    args: [
      '--require',
      options.nodeTransform,
      '--require',
      './packages/backend/src/instrumentation.js',
      'packages/backend/src/index.ts',
      '--config',
      BASE_CONFIG,
      '--config',
      PRODUCTION_CONFIG,
      ...local,
    ],
    cwd: REPO_ROOT,
    env: {},
  };
}
