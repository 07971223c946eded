/**
 * Upstream's `MetricsStore`: the rendered sample lines of every object of
 * one resource, kept per object and per family. An object's lines are
 * rendered once when it is added or changes; a scrape only concatenates.
 */
import type { KubeObject } from "./common.ts";
import { type FamilyGenerator, renderHeader, renderMetrics } from "./metric.ts";

/** Key of an object in a store: its uid, or namespace/name when it has none (tests, hand-made objects). */
export function objectKey(obj: KubeObject): string {
  const md = obj.metadata ?? {};
  return md.uid !== undefined && md.uid !== "" ? md.uid : `${md.namespace ?? ""}/${md.name ?? ""}`;
}

/** What an informer's handlers (`run.ts`'s `feedStore`) call: replace the whole content, or apply one change. */
export interface ObjectSink {
  replace(objects: readonly KubeObject[], scope?: string): void;
  upsert(obj: KubeObject, scope?: string): void;
  delete(obj: KubeObject): void;
}

export class MetricsStore implements ObjectSink {
  readonly generators: readonly FamilyGenerator<KubeObject>[];
  readonly headers: readonly string[];
  /** Per object key, one rendered string per generator (same order). */
  readonly #rendered = new Map<string, readonly string[]>();
  /** Per object key, the scope (watched namespace) it was listed in. */
  readonly #scope = new Map<string, string>();
  /** Called after each change, e.g. to count objects; optional. */
  onChange: (() => void) | undefined;

  constructor(generators: readonly FamilyGenerator<KubeObject>[]) {
    this.generators = generators;
    this.headers = generators.map((g) => renderHeader(g));
  }

  /** Objects held. */
  get size(): number {
    return this.#rendered.size;
  }

  /** Renders `obj` and keeps its lines, replacing an older version of it. */
  upsert(obj: KubeObject, scope = ""): void {
    this.#scope.set(objectKey(obj), scope);
    this.#rendered.set(
      objectKey(obj),
      this.generators.map((g) => renderMetrics(g.name, g.generate(obj))),
    );
    this.onChange?.();
  }

  /** Forgets `obj` (matched by key; the deleted object's content is not needed). */
  delete(obj: KubeObject): void {
    this.#rendered.delete(objectKey(obj));
    this.#scope.delete(objectKey(obj));
    this.onChange?.();
  }

  /**
   * Replaces the objects of `scope` with `objects` (a re-list); one store can
   * hold several scopes when `--namespaces` names more than one namespace.
   */
  replace(objects: readonly KubeObject[], scope = ""): void {
    for (const [key, s] of this.#scope) {
      if (s !== scope) continue;
      this.#rendered.delete(key);
      this.#scope.delete(key);
    }
    for (const obj of objects) {
      this.#scope.set(objectKey(obj), scope);
      this.#rendered.set(
        objectKey(obj),
        this.generators.map((g) => renderMetrics(g.name, g.generate(obj))),
      );
    }
    this.onChange?.();
  }

  /**
   * The exposition text of this store: for each family its header, then the
   * lines of every object, as upstream's `MetricsWriter.WriteAll`.
   */
  write(): string {
    const parts: string[] = [];
    const objects = [...this.#rendered.values()];
    for (let i = 0; i < this.generators.length; i++) {
      parts.push(this.headers[i]!);
      for (const lines of objects) parts.push(lines[i]!);
    }
    return parts.join("");
  }
}
