import type { Output } from "./command.ts";

/** An {@link Output} that keeps what was written, for tests. */
export interface Captured extends Output {
  /** Everything written so far. */
  text(): string;
}

/** A fresh in-memory {@link Output}. */
export function capture(): Captured {
  let text = "";
  return {
    write(chunk: string) {
      text += chunk;
      return true;
    },
    text: () => text,
  };
}
