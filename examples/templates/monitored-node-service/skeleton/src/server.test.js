'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { createServer } = require('./server');

test('counts requests and exposes them on /metrics', async () => {
  const server = createServer().listen(0);
  await new Promise(resolve => server.once('listening', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    assert.equal((await fetch(`${base}/`)).status, 200);
    assert.equal((await fetch(`${base}/nope`)).status, 404);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /http_requests_total\{method="GET",route="\/",code="200"\} 1/);
    assert.match(metrics, /http_requests_total\{method="GET",route="unmatched",code="404"\} 1/);
    assert.match(metrics, /process_cpu_seconds_total/);
  } finally {
    server.close();
  }
});
