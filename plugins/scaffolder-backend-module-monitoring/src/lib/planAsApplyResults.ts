import {
  ApplyResponse,
  PlanResponse,
} from '@prometheus-ocs/plugin-monitoring-common';

type ObjectResult = ApplyResponse['objects'][number];

/**
 * A dry run's plan in the shape of an apply result: what would be created/updated/left as is,
 * and the objects the cluster would refuse.
 */
export function planAsApplyResults(plan: PlanResponse): ObjectResult[] {
  return plan.objects.map(o => {
    const ref = {
      apiVersion: o.apiVersion,
      kind: o.kind,
      namespace: o.namespace,
      name: o.name,
    };
    if (o.error) {
      return {
        ...ref,
        result: o.error.startsWith('conflict') ? 'conflict' : 'failed',
        message: o.error,
      };
    }
    const wouldBe = {
      create: 'created',
      update: 'updated',
      unchanged: 'unchanged',
    } as const;
    return {
      ...ref,
      result: wouldBe[o.action],
      message:
        o.action === 'update' && o.changedFields?.length
          ? `dry run: would change ${o.changedFields.join(', ')}`
          : `dry run: would be ${wouldBe[o.action]}`,
    };
  });
}
