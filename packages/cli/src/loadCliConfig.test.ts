import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCliConfig, substituteEnv } from './loadCliConfig';

describe('substituteEnv', () => {
  it('substitutes set variables, leaves unset ones and honours $${} escapes', () => {
    expect(
      substituteEnv(
        {
          a: '${SET}',
          b: ['x-${ UNSET }-y'],
          c: '$${SET}',
          d: 1,
          e: { f: 'url/${SET}' },
        },
        { SET: 'value' },
      ),
    ).toEqual({
      a: 'value',
      b: ['x-${ UNSET }-y'],
      c: '${SET}',
      d: 1,
      e: { f: 'url/value' },
    });
  });
});

describe('loadCliConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prometheus-ocs-config-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads app-config.yaml and app-config.local.yaml by default, the local one winning', () => {
    fs.writeFileSync(
      path.join(dir, 'app-config.yaml'),
      'monitoring:\n  defaultCluster: a\n  defaults: {retention: 15d}\n',
    );
    fs.writeFileSync(
      path.join(dir, 'app-config.local.yaml'),
      'monitoring:\n  defaultCluster: b\n',
    );
    const { config, files } = loadCliConfig([], { cwd: dir, env: {} });
    expect(files.map(f => path.basename(f))).toEqual([
      'app-config.yaml',
      'app-config.local.yaml',
    ]);
    expect(config.getString('monitoring.defaultCluster')).toBe('b');
    expect(config.getString('monitoring.defaults.retention')).toBe('15d');
  });

  it('uses only the given files, later ones winning, with env substitution', () => {
    fs.writeFileSync(
      path.join(dir, 'one.yaml'),
      'kubernetes:\n  token: ${K8S_TOKEN}\nmonitoring: {defaultCluster: one}\n',
    );
    fs.writeFileSync(
      path.join(dir, 'two.yaml'),
      'monitoring: {defaultCluster: two}\n',
    );
    const { config } = loadCliConfig(['one.yaml', path.join(dir, 'two.yaml')], {
      cwd: dir,
      env: {},
    });
    expect(config.getString('monitoring.defaultCluster')).toBe('two');
    expect(config.getString('kubernetes.token')).toBe('${K8S_TOKEN}');
  });

  it('explains unreadable and invalid files', () => {
    expect(() =>
      loadCliConfig(['missing.yaml'], { cwd: dir, env: {} }),
    ).toThrow(/Cannot read config file .*missing.yaml/);
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'a: [\n');
    expect(() => loadCliConfig(['bad.yaml'], { cwd: dir, env: {} })).toThrow(
      /bad.yaml is not valid YAML/,
    );
    fs.writeFileSync(path.join(dir, 'list.yaml'), '- a\n');
    expect(() => loadCliConfig(['list.yaml'], { cwd: dir, env: {} })).toThrow(
      /must contain a YAML mapping/,
    );
  });
});
