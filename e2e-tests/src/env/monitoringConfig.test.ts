/*
 * Checks of the checked-in monitoring configuration with the tools of the Debian packages:
 * the alert rules' unit tests (e2e-tests/monitoring/tests/*.test.yml) and the Alertmanager
 * config. Required under CI, skipped locally when the tools are missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ALERTMANAGER_CONFIG, MONITORING_DIR } from './environmentPaths';

const promtool = process.env.PROMTOOL_BIN || '/usr/bin/promtool';
const amtool = process.env.AMTOOL_BIN || '/usr/bin/amtool';

function run(
  command: string,
  args: string[],
): { status: number | null; output: string } {
  const result = spawnSync(command, args, {
    cwd: MONITORING_DIR,
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const describeWith = (binary: string) =>
  existsSync(binary) || process.env.CI ? describe : describe.skip;

describeWith(promtool)('alert rules (promtool test rules)', () => {
  const testFiles = readdirSync(join(MONITORING_DIR, 'tests'))
    .filter(name => name.endsWith('.test.yml'))
    .map(name => join('tests', name));

  it('has rule unit tests', () => {
    expect(testFiles.length).toBeGreaterThan(0);
  });

  it.each(testFiles)('%s passes', file => {
    const { status, output } = run(promtool, ['test', 'rules', file]);
    expect({ status, output }).toEqual({
      status: 0,
      output: expect.stringContaining('SUCCESS'),
    });
  });
});

describeWith(amtool)('alertmanager.yml (amtool check-config)', () => {
  it('is a valid Alertmanager config with a route, a receiver and an inhibit rule', () => {
    const { status, output } = run(amtool, [
      'check-config',
      ALERTMANAGER_CONFIG,
    ]);
    expect(status).toBe(0);
    expect(output).toContain('SUCCESS');
    expect(output).toContain('1 inhibit rules');
  });
});
