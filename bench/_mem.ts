import {
  startDataBenchEnvironment,
  AUTH_HEADER,
  timedGet,
} from './lib/benchEnvironment';
import { syntheticLoadOptionsFromEnv } from './lib/syntheticMonitoring';
const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
async function main() {
  const env = await startDataBenchEnvironment(syntheticLoadOptionsFromEnv(), {
    log: l => console.log(l),
  });
  const show = async (label: string) => {
    const m = await env.backend.memory();
    console.log(
      label,
      'rss',
      mb(m.rss),
      'heapTotal',
      mb(m.heapTotal),
      'heapUsed',
      mb(m.heapUsed),
      'external',
      mb(m.external),
      'ab',
      mb(m.arrayBuffers),
    );
  };
  const tab = () =>
    Promise.all(
      ['targets', 'alerts'].map(p =>
        timedGet(`${env.entityUrl}/${p}`, { authorization: AUTH_HEADER }),
      ),
    );
  await tab();
  await show('start');
  await env.backend.clearCache(); await Promise.all(Array.from({ length: 200 }, tab));
  for (let i = 0; i < 300; i++) await tab();
  await show('after warm-up');
  for (let round = 0; round < 6; round++) {
    for (let b = 0; b < 5; b++) {
      await env.backend.clearCache();
      await Promise.all(Array.from({ length: 200 }, tab));
    }
    await show(`after ${(round + 1) * 5} bursts`);
  }
  for (let k = 0; k < 4; k++) { for (let i = 0; i < 1000; i++) await tab();
  await show('after 1000 sequential'); }
  await new Promise(r => setTimeout(r, 10000));
  await show('after 10 s idle');
  await env.stop();
}
main().catch(e => {
  console.error(e);
  process.exit(1);
});
