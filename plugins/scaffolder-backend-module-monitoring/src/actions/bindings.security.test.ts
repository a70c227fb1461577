/*
 * monitoring:apply authorizes exactly what it applies (issue 13, property 3), and respects
 * bindings (property 2): against the Kubernetes API stand-in, a workspace descriptor that differs
 * from the registered catalog entity the permission was decided on is refused with nothing
 * written, and a new entity naming another catalog entity's kubernetes-id cannot squat its
 * objects.
 */
import { Entity } from '@backstage/catalog-model';
import { ConflictError } from '@backstage/errors';
import { stringify } from 'yaml';
import { setUpStandInActions } from '../__testUtils__/setUpStandInActions';

jest.setTimeout(60_000);

function component(
  name: string,
  owner: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'prometheus-ocs.io/enabled': 'true', ...annotations },
    },
    spec: { type: 'service', lifecycle: 'development', owner },
  };
}

/** The guest's team's service, registered: monitored in shop-dev. */
const cart = component('cart', 'team-shop', {
  'backstage.io/kubernetes-namespace': 'shop-dev',
  'backstage.io/kubernetes-label-selector': 'app=cart',
});
/** Another team's service, registered, not applied yet. */
const inventory = component('inventory', 'team-payments', {
  'backstage.io/kubernetes-namespace': 'shop-dev',
});
const registered = [cart, inventory].map(e => ({
  ...e,
  relations: [{ type: 'ownedBy', targetRef: `group:default/${e.spec!.owner}` }],
}));

describe('monitoring:apply applies what it authorized', () => {
  const actions = setUpStandInActions({ registered });
  const context = (entity: Entity) => actions.context(stringify(entity));

  const withAnnotation = (entity: Entity, name: string, value: string) => ({
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: { ...entity.metadata.annotations, [name]: value },
    },
  });

  it.each([
    ['namespace', 'backstage.io/kubernetes-namespace', 'shop-prod'],
    ['selector', 'backstage.io/kubernetes-label-selector', 'app=payments'],
    ['instance', 'prometheus-ocs.io/instance', 'payments'],
  ])(
    'refuses a workspace descriptor whose %s differs from the catalog entity, naming the field, with nothing written',
    async (_what, annotation, value) => {
      const ctx = context(withAnnotation(cart, annotation, value));
      const run = actions.apply.handler(ctx);
      await expect(run).rejects.toThrow(ConflictError);
      await expect(run).rejects.toThrow(`metadata.annotations.${annotation}`);
      expect(actions.standIn.requests.writes()).toEqual([]);
      expect(actions.standIn.requests.list()).toEqual([]);
      expect(ctx.output).not.toHaveBeenCalled();
    },
  );

  it('refuses a workspace descriptor that changes the owner or lifecycle the decision was made on', async () => {
    const ctx = context({
      ...cart,
      spec: { ...cart.spec, lifecycle: 'production', owner: 'team-payments' },
    });
    await expect(actions.apply.handler(ctx)).rejects.toThrow(
      'spec.lifecycle, spec.owner',
    );
    expect(actions.standIn.requests.writes()).toEqual([]);
  });

  it('applies the descriptor when it is the catalog entity', async () => {
    const ctx = context(cart);
    await actions.apply.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('ok', true);
    expect(ctx.output).toHaveBeenCalledWith('namespace', 'shop-dev');
  });

  it("a new entity squatting inventory's kubernetes-id is refused naming inventory, with nothing written", async () => {
    const squatter = component('stock-levels', 'team-shop', {
      'backstage.io/kubernetes-namespace': 'shop-dev',
      'backstage.io/kubernetes-id': 'inventory',
    });
    const run = actions.apply.handler(context(squatter));
    await expect(run).rejects.toThrow(ConflictError);
    await expect(run).rejects.toThrow('component:default/inventory');
    expect(actions.standIn.requests.writes()).toEqual([]);
    expect(
      actions.standIn.state.list({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        namespace: 'shop-dev',
      }),
    ).toEqual([]);
  });
});
