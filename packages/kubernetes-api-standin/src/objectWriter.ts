/*
 * What the write verbs outside the ResourceHandler use of it: the store, admission, and the
 * commit and removal that notify the operator simulation.
 */
import type { Admission } from './admission';
import type { KubeObject, ObjectStore } from './objectStore';
import type { ResourceType } from './resourceTypes';

export interface ObjectWriter {
  readonly store: ObjectStore;
  readonly admission: Admission;
  /** Stores a changed object (unless dry run) and returns it with its new resourceVersion. */
  commit(
    rt: ResourceType,
    before: KubeObject | undefined,
    after: KubeObject,
    dryRun: boolean,
  ): KubeObject;
  /** Deletes an object, then dependents whose owners are all gone. */
  remove(rt: ResourceType, obj: KubeObject): void;
}
