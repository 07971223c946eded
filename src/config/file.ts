/**
 * Reading a config file with Go's error wording (`open <path>: no such file
 * or directory`), shared by `prometheus.yml`, `alertmanager.yml`, rule files
 * and rule test files.
 */
import { readFile } from "node:fs/promises";
import { ConfigError } from "./schema.ts";

/** Go's wording of a failed `os.ReadFile(path)`: `open x: no such file or directory`, … */
export function goFileError(path: string, err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case "ENOENT":
      return `open ${path}: no such file or directory`;
    case "EACCES":
      return `open ${path}: permission denied`;
    case "EISDIR":
      return `read ${path}: is a directory`;
    default:
      return `open ${path}: ${(err as Error).message}`;
  }
}

/** The text of the config file `path`; throws a {@link ConfigError} (file only) with {@link goFileError}'s reason. */
export async function readConfigFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    throw new ConfigError(path, 0, 0, "", goFileError(path, err), { cause: err });
  }
}
