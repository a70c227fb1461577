/*
 * PostgreSQL and Redis come from Debian packages (`postgresql`, `redis-server`);
 * POSTGRES_BIN_DIR / REDIS_SERVER_BIN point elsewhere.
 */
import { accessSync, constants, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ProductionBinaries {
  /** Directory with initdb and postgres, e.g. /usr/lib/postgresql/15/bin. */
  postgresBinDir: string;
  redisServer: string;
}

export const PRODUCTION_INSTALL_HINT =
  'Install them (as root) with: apt-get install -y postgresql redis-server ' +
  '(or point POSTGRES_BIN_DIR / REDIS_SERVER_BIN at the binaries)';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The newest /usr/lib/postgresql/<major>/bin, as Debian installs it. */
function debianPostgresBinDir(): string {
  let majors: number[] = [];
  try {
    majors = readdirSync('/usr/lib/postgresql')
      .filter(name => /^\d+$/.test(name))
      .map(Number)
      .sort((a, b) => b - a);
  } catch {
    // not installed
  }
  return `/usr/lib/postgresql/${majors[0] ?? 15}/bin`;
}

export function productionBinaryPaths(
  env: Record<string, string | undefined> = process.env,
): ProductionBinaries {
  return {
    postgresBinDir: env.POSTGRES_BIN_DIR || debianPostgresBinDir(),
    redisServer: env.REDIS_SERVER_BIN || '/usr/bin/redis-server',
  };
}

/** The binaries that are missing, with the variable that locates each. */
export function missingProductionBinaries(
  env: Record<string, string | undefined> = process.env,
): string[] {
  const paths = productionBinaryPaths(env);
  return [
    ...['initdb', 'postgres']
      .map(name => join(paths.postgresBinDir, name))
      .filter(path => !isExecutable(path))
      .map(path => `${path} (POSTGRES_BIN_DIR)`),
    ...(isExecutable(paths.redisServer)
      ? []
      : [`${paths.redisServer} (REDIS_SERVER_BIN)`]),
  ];
}

/** The binaries to run; throws with install instructions when one is missing. */
export function findProductionBinaries(
  env: Record<string, string | undefined> = process.env,
): ProductionBinaries {
  const missing = missingProductionBinaries(env);
  if (missing.length > 0) {
    throw new Error(
      `Missing executable(s): ${missing.join(
        ', ',
      )}. ${PRODUCTION_INSTALL_HINT}`,
    );
  }
  return productionBinaryPaths(env);
}
