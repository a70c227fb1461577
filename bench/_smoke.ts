import { startDataBenchEnvironment, AUTH_HEADER, timedGet } from './lib/benchEnvironment';
import { syntheticLoadOptionsFromEnv } from './lib/syntheticMonitoring';
async function main() {
  const t0 = Date.now();
  const env = await startDataBenchEnvironment(syntheticLoadOptionsFromEnv(), { log: l => console.log(l) });
  console.log('ready after', (Date.now() - t0) / 1000, 's');
  for (const p of ['targets', 'alerts']) {
    const r = await timedGet(`${env.entityUrl}/${p}`, { authorization: AUTH_HEADER });
    console.log(p, r.status, r.ms, r.bytes, r.body.slice(0, 300));
  }
  console.log(await env.backend.memory());
  await env.stop();
}
main().catch(e => { console.error(e); process.exit(1); });
