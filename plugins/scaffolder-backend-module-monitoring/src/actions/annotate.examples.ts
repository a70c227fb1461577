import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Opt the Component in catalog-info.yaml in to monitoring in its namespace, with defaults for everything else',
    example: stringify({
      steps: [
        {
          id: 'annotate',
          action: 'monitoring:annotate',
          name: 'Enable monitoring',
          input: {
            kubernetesNamespace: '${{ parameters.namespace }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'Set the metrics port, scrape interval and an alert rule on one entity of a multi-document descriptor',
    example: stringify({
      steps: [
        {
          id: 'annotate',
          action: 'monitoring:annotate',
          name: 'Enable monitoring',
          input: {
            catalogInfoPath: 'service/catalog-info.yaml',
            entityKind: 'Component',
            entityName: '${{ parameters.name }}',
            kubernetesNamespace: 'shop-dev',
            port: 'http-metrics',
            interval: '15s',
            alertRules: [
              {
                alert: 'HighErrorRate',
                expr: 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05',
                for: '10m',
                severity: 'warning',
                summary: 'More than 5% of requests fail',
              },
            ],
          },
        },
      ],
    }),
  },
];
