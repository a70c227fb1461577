/*
 * Loaded with `--require` before the backend starts (see package.json "start"): exposes the
 * backend's own OpenTelemetry metrics in Prometheus format on 127.0.0.1:9464/metrics, so the
 * demo Prometheus scrapes the portal itself (the `developer-portal` demo entity).
 */
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus');

const port = Number(process.env.BACKEND_METRICS_PORT ?? 9464);
const sdk = new NodeSDK({
  metricReader: new PrometheusExporter({ host: '127.0.0.1', port }),
});
sdk.start();
