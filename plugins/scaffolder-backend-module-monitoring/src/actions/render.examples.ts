import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Write one file per object (<kind>-<name>.yaml) for the Component in catalog-info.yaml into monitoring/',
    example: stringify({
      steps: [
        {
          id: 'render',
          action: 'monitoring:render',
          name: 'Render monitoring manifests',
          input: {
            targetPath: 'monitoring',
          },
        },
      ],
    }),
  },
  {
    description:
      "Write only the entity's own objects (Service, ServiceMonitor, PrometheusRule) as one multi-document file into a GitOps repository checkout, for an entity fetched from the catalog",
    example: stringify({
      steps: [
        {
          id: 'fetch',
          action: 'catalog:fetch',
          name: 'Fetch the component',
          input: { entityRef: '${{ parameters.component }}' },
        },
        {
          id: 'render',
          action: 'monitoring:render',
          name: 'Render monitoring manifests',
          input: {
            entity: '${{ steps.fetch.output.entity }}',
            targetPath:
              'clusters/local/${{ steps.fetch.output.entity.metadata.name }}',
            layout: 'single-file',
            fileName: 'monitoring.yaml',
            includeShared: false,
          },
        },
      ],
    }),
  },
];
