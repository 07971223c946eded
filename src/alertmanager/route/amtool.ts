/**
 * `amtool config routes show` and `amtool config routes test`: the routing
 * tree drawn as amtool draws it (xlab/treeprint), and the receivers a label
 * set routes to, with amtool 0.33's output, messages and exit codes.
 */
import type { AlertmanagerConfig } from "../config/types.ts";
import { parseMatcher } from "../matcher/compat.ts";
import { type LabelSet, matchersMatch, matchersToString } from "../matcher/matcher.ts";
import { Route } from "./route.ts";

/** A tree for printing: a line and children. */
interface Branch {
  value: string;
  readonly children: Branch[];
}

/** treeprint's layout: `.` then `├── `/`└── ` branches, `│   `/`    ` continuation. */
function drawTree(roots: readonly Branch[]): string {
  let out = ".\n";
  const draw = (nodes: readonly Branch[], prefix: string): void => {
    nodes.forEach((n, i) => {
      const last = i === nodes.length - 1;
      out += `${prefix}${last ? "└── " : "├── "}${n.value}\n`;
      draw(n.children, prefix + (last ? "    " : "│   "));
    });
  };
  draw(roots, "");
  return out;
}

/** amtool's `getRouteTreeSlug`. */
function slug(r: Route, showContinue: boolean, showReceiver: boolean): string {
  let s = r.matchers.length === 0 ? "default-route" : matchersToString(r.matchers);
  if (r.continue && showContinue) s += "  continue: true";
  if (showReceiver) s += `  receiver: ${r.opts.receiver}`;
  return s;
}

function showBranch(r: Route): Branch {
  return { value: slug(r, true, true), children: r.routes.map(showBranch) };
}

/** `amtool config routes show`: `Routing tree:`, the tree, a blank line. */
export function routesShow(config: AlertmanagerConfig): string {
  const root = Route.fromConfig(config.route);
  return `Routing tree:\n${drawTree([showBranch(root)])}\n`;
}

function matchingBranch(r: Route, lset: LabelSet): Branch {
  const branch: Branch = { value: slug(r, false, false), children: [] };
  let final = true;
  for (const child of r.routes) {
    if (!matchersMatch(child.matchers, lset)) continue;
    branch.children.push(matchingBranch(child, lset));
    final = false;
    if (!child.continue) break;
  }
  if (final) branch.value = slug(r, false, true);
  return branch;
}

/** Options of {@link routesTest}, amtool's flags. */
export interface RoutesTestOptions {
  /** `--tree`: print the matching routes first. */
  readonly tree?: boolean;
  /** `--verify.receivers`: the expected comma-joined receivers; a mismatch exits 1. */
  readonly verifyReceivers?: string;
}

/** What amtool would print and return. */
export interface RoutesTestResult {
  readonly output: string;
  /** amtool's own error line (`amtool: error: …`), empty when none. */
  readonly stderr: string;
  readonly exitCode: 0 | 1;
}

/** Parses amtool's label arguments (`key=value`, the matcher syntax of the configured mode). */
export function parseLabelArgs(args: readonly string[]): LabelSet {
  const ls: Record<string, string> = {};
  for (const arg of args) {
    let m: ReturnType<typeof parseMatcher>;
    try {
      m = parseMatcher(arg, "cli");
    } catch (err) {
      throw new Error(`Failed to parse labels: ${(err as Error).message}`);
    }
    if (m.type !== "=") throw new Error("Labels must be specified as key=value pairs");
    Object.defineProperty(ls, m.name, {
      value: m.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return ls;
}

/**
 * `amtool config routes test <labels…>`: the receivers the labels route to,
 * comma-joined, in tree order; with `tree`, the matching routes first.
 */
export function routesTest(
  config: AlertmanagerConfig,
  labels: readonly string[],
  options: RoutesTestOptions = {},
): RoutesTestResult {
  let lset: LabelSet;
  try {
    lset = parseLabelArgs(labels);
  } catch (err) {
    return { output: "", stderr: `amtool: error: ${(err as Error).message}\n\n`, exitCode: 1 };
  }
  const root = Route.fromConfig(config.route);
  let output = "";
  if (options.tree === true) output += `Matching routes:\n${drawTree([matchingBranch(root, lset)])}\n\n`;
  const receivers = root
    .match(lset)
    .map((r) => r.opts.receiver)
    .join(",");
  output += `${receivers}\n`;
  const expected = options.verifyReceivers ?? "";
  if (expected !== "" && expected !== receivers) {
    output += "WARNING: Expected receivers did not match resolved receivers.\n";
    return { output, stderr: "", exitCode: 1 };
  }
  return { output, stderr: "", exitCode: 0 };
}
