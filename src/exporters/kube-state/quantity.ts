/**
 * Kubernetes `resource.Quantity` strings (`100m`, `1.5Gi`, `2e3`, `128974848`)
 * read as numbers the way kube-state-metrics reads them: `Value()` rounds up
 * to a whole number, `MilliValue()` rounds thousandths up.
 */

const BINARY: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/** Thrown for text that is not a Kubernetes quantity. */
export class QuantityError extends Error {
  override readonly name = "QuantityError";
}

/** The exact value of a quantity as a float (no rounding). */
export function parseQuantity(text: string | number): number {
  if (typeof text === "number") return text;
  const match = QUANTITY.exec(text.trim());
  if (match === null) throw new QuantityError(`quantities must match the regular expression: ${text}`);
  const mantissa = Number(match[1]);
  if (match[2] !== undefined) return mantissa * 10 ** Number(match[2].slice(1));
  const suffix = match[3] ?? "";
  return mantissa * (BINARY[suffix] ?? DECIMAL[suffix] ?? 1);
}

/** Nudge against float noise (0.1 * 1e3 = 100.00000000000001) before rounding up. */
function ceilClean(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) < 1e-9 * Math.max(1, Math.abs(x)) ? r : Math.ceil(x);
}

/** `Quantity.Value()`: the value rounded up to an integer. */
export function quantityValue(text: string | number): number {
  return ceilClean(parseQuantity(text));
}

/** `Quantity.MilliValue()`: thousandths, rounded up. */
export function quantityMilliValue(text: string | number): number {
  return ceilClean(parseQuantity(text) * 1000);
}
