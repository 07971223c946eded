import { type ExpositionValidator, entryError } from "../families.ts";
import { type FloatResult, parseFloatBytes } from "../parsefloat.ts";
import { ParseError, type Parser } from "../parser.ts";
import type { MetricType, Sample } from "../types.ts";

interface Family {
  hasHelp: boolean;
  hasType: boolean;
  hasSamples: boolean;
  type: MetricType;
}

/**
 * The rules of the reference Go parser (`expfmt.TextParser`) for the classic
 * text format that the Prometheus scraper does not enforce: at most one HELP
 * and one TYPE per family, TYPE before the family's samples, numeric `le` and
 * `quantile` labels, and a final newline. (Escapes, commas and newlines in
 * label values are checked by the parser in its `expfmt` dialect.)
 */
export class TextValidator implements ExpositionValidator {
  private readonly families = new Map<string, Family>();
  private readonly fr: FloatResult = { value: 0, error: undefined };
  private readonly body: Uint8Array;
  private p: Parser | undefined;

  constructor(body: Uint8Array) {
    this.body = body;
  }

  metadata(p: Parser, kind: "type" | "help" | "unit", name: string): void {
    this.p = p;
    const f = this.family(name);
    if (kind === "help") {
      if (f.hasHelp) this.fail(`second HELP line for metric name "${name}"`);
      f.hasHelp = true;
    } else if (kind === "type") {
      if (f.hasType || f.hasSamples)
        this.fail(`second TYPE line for metric name "${name}", or TYPE reported after samples`);
      f.hasType = true;
      f.type = p.type;
    }
  }

  sample(p: Parser, s: Sample): void {
    this.p = p;
    const base = this.baseFamily(s.name);
    const f = this.family(base?.[0] ?? s.name);
    f.hasSamples = true;
    const label =
      f.type === "histogram" && s.name.endsWith("_bucket")
        ? "le"
        : f.type === "summary" && base?.[1] === ""
          ? "quantile"
          : "";
    if (label !== "" && s.labels.has(label)) {
      const v = new TextEncoder().encode(s.labels.get(label));
      parseFloatBytes(v, 0, v.length, this.fr);
      if (this.fr.error !== undefined)
        this.fail(`expected float as value for '${label}' label, got "${s.labels.get(label)}"`);
    }
  }

  end(): void {
    const b = this.body;
    if (b.length > 0 && b[b.length - 1] !== 0x0a) {
      throw new ParseError(countLines(b), 1, "unexpected end of input stream: the last line has no newline");
    }
  }

  /** [family, suffix] when the sample is `_bucket`/`_sum`/`_count` of a histogram or summary, or a summary's quantile. */
  private baseFamily(name: string): [string, string] | undefined {
    const direct = this.families.get(name);
    if (direct?.type === "summary") return [name, ""];
    for (const suffix of ["_bucket", "_sum", "_count"]) {
      if (!name.endsWith(suffix)) continue;
      const base = name.slice(0, -suffix.length);
      const f = this.families.get(base);
      if (f === undefined) continue;
      if (f.type === "histogram" || (f.type === "summary" && suffix !== "_bucket")) return [base, suffix];
    }
    return undefined;
  }

  private family(name: string): Family {
    let f = this.families.get(name);
    if (f === undefined) {
      f = { hasHelp: false, hasType: false, hasSamples: false, type: "unknown" };
      this.families.set(name, f);
    }
    return f;
  }

  private fail(detail: string): never {
    throw this.p === undefined ? new ParseError(1, 1, detail) : entryError(this.p, detail);
  }
}

function countLines(b: Uint8Array): number {
  let n = 1;
  for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) n++;
  return n;
}
