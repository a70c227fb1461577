/** A call of the backend to a Backstage service another plugin answers over HTTP in a real backend. */
export interface ServiceCall {
  /** e.g. `authorize`, `getEntityByRef` */
  method: string;
  /** the principal the call was made for: a user entity ref, or the plugin's own `service` */
  principal: string;
  /** authorize: the permissions decided in this one call */
  permissions?: string[];
}

/**
 * The calls the monitoring plugin made to the permission and catalog services. In a real backend
 * each is an HTTP request (`/api/permission/authorize`, `/api/catalog/...`), and the catalog
 * authorizes its own read once more. Decisions for service principals are not recorded: Backstage's
 * permission client allows them without asking the permission backend.
 */
export class ServiceCalls {
  readonly permission: ServiceCall[] = [];
  readonly catalog: ServiceCall[] = [];

  clear() {
    this.permission.length = 0;
    this.catalog.length = 0;
  }
}

export const principalOf = (options: any): string => {
  const principal = options?.credentials?.principal;
  return principal?.userEntityRef ?? principal?.type ?? 'none';
};

/** Wraps every method of `service` so that its calls are recorded into `calls`. */
export function recorded<T extends object>(
  service: T,
  calls: ServiceCall[],
  describe: (method: string, args: any[]) => ServiceCall,
): T {
  return new Proxy(service, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: any[]) => {
        calls.push(describe(key, args));
        return value.apply(target, args);
      };
    },
  });
}
