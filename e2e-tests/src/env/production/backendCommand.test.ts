import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../environmentPaths';
import {
  BACKEND_DOCKERFILE,
  backendCommand,
  readImageEntrypoint,
} from './backendCommand';
import { PRODUCTION_CONFIG } from './productionConfig';

describe('backendCommand', () => {
  it("runs the image's CMD from the image directory, with the image's ENV and the local configs last", () => {
    const { cmd, env } = readImageEntrypoint();
    expect(cmd.slice(-4)).toEqual([
      '--config',
      'app-config.yaml',
      '--config',
      'app-config.production.yaml',
    ]);
    expect(env).toMatchObject({
      NODE_ENV: 'production',
      NODE_OPTIONS: '--no-node-snapshot',
    });
    const imageDir = mkdtempSync(join(tmpdir(), 'image-'));
    mkdirSync(join(imageDir, 'packages/backend'), { recursive: true });
    writeFileSync(join(imageDir, 'packages/backend/package.json'), '{}');
    const run = backendCommand(['/run/local.yaml'], {
      imageDir,
      nodeTransform: 'transform.cjs',
    });
    expect(run).toEqual({
      command: process.execPath,
      args: [...cmd.slice(1), '--config', '/run/local.yaml'],
      cwd: imageDir,
      env,
    });
    expect(() =>
      backendCommand([], {
        imageDir: join(imageDir, 'missing'),
        nodeTransform: 'transform.cjs',
      }),
    ).toThrow(/holds no image layout.*scripts\/image-layout\.sh/);
  });

  it('runs from source at the repository root otherwise', () => {
    const run = backendCommand(['/run/local.yaml'], {
      nodeTransform: 'transform.cjs',
    });
    expect(run.cwd).toBe(REPO_ROOT);
    expect(run.args.slice(0, 5)).toEqual([
      '--require',
      'transform.cjs',
      '--require',
      './packages/backend/src/instrumentation.js',
      'packages/backend/src/index.ts',
    ]);
    expect(run.args.slice(-2)).toEqual(['--config', '/run/local.yaml']);
  });

  it('finds the catalog files of app-config.production.yaml from both working directories', () => {
    // The image copies `examples` into its WORKDIR; the profile runs from the repository root.
    const dockerfile = readFileSync(BACKEND_DOCKERFILE, 'utf8');
    expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
    expect(dockerfile).toMatch(
      /^COPY --chown=node:node examples \.\/examples$/m,
    );
    const locations = parse(readFileSync(PRODUCTION_CONFIG, 'utf8')).catalog
      .locations as Array<{ type: string; target: string }>;
    expect(locations.length).toBeGreaterThan(0);
    for (const { type, target } of locations) {
      expect(type).toBe('file');
      expect(target).toMatch(/^\.\/examples\//);
      expect(existsSync(resolve(REPO_ROOT, target))).toBe(true);
    }
    expect(existsSync(join(REPO_ROOT, 'examples'))).toBe(true);
  });

  it('refuses a CMD in shell form, which the profile could not run the same way', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dockerfile-')), 'Dockerfile');
    writeFileSync(file, 'FROM node:22\nCMD node index.js\n');
    expect(() => readImageEntrypoint(file)).toThrow(/exec form/);
  });
});
