import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Apply the monitoring resources of the Component in catalog-info.yaml when the user asked for it',
    example: stringify({
      steps: [
        {
          id: 'apply',
          if: '${{ parameters.applyNow }}',
          action: 'monitoring:apply',
          name: 'Apply monitoring resources',
        },
      ],
    }),
  },
  {
    description:
      'Preview what applying an existing catalog entity would change, without writing anything',
    example: stringify({
      steps: [
        {
          id: 'fetch',
          action: 'catalog:fetch',
          name: 'Fetch the component',
          input: { entityRef: '${{ parameters.component }}' },
        },
        {
          id: 'preview',
          action: 'monitoring:apply',
          name: 'Preview monitoring changes',
          input: {
            entity: '${{ steps.fetch.output.entity }}',
            dryRun: true,
          },
        },
      ],
    }),
  },
];
