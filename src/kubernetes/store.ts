/**
 * An informer's cache: the objects of one list+watch by key (`namespace/name`,
 * or `name` for cluster-scoped objects), client-go's `cache.Store`.
 */
import { type KubeObject, objectKey } from "./objects.ts";

/** Read access to an informer's objects. The objects are the decoded wire JSON: treat them as read-only. */
export interface Store<T extends KubeObject> {
  /** The object `namespace/name` (`namespace` "" for cluster-scoped ones). */
  get(namespace: string, name: string): T | undefined;
  getByKey(key: string): T | undefined;
  /** Every object, in insertion order. */
  list(): T[];
  readonly size: number;
}

/** A store the informer writes. */
export interface MutableStore<T extends KubeObject> extends Store<T> {
  /** Inserts or replaces; returns the previous object. */
  set(obj: T): T | undefined;
  /** Removes; returns the removed object. */
  delete(obj: KubeObject): T | undefined;
  keys(): string[];
}

/** Creates an empty store. */
export function newStore<T extends KubeObject>(): MutableStore<T> {
  const items = new Map<string, T>();
  return {
    get: (namespace, name) => items.get(namespace === "" ? name : `${namespace}/${name}`),
    getByKey: (key) => items.get(key),
    list: () => [...items.values()],
    get size() {
      return items.size;
    },
    set(obj) {
      const key = objectKey(obj);
      const old = items.get(key);
      items.set(key, obj);
      return old;
    },
    delete(obj) {
      const key = objectKey(obj);
      const old = items.get(key);
      items.delete(key);
      return old;
    },
    keys: () => [...items.keys()],
  };
}
