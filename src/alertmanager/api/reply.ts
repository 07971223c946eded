/** A handler's answer, written by the router with upstream's common headers. */
import { plainJSONString } from "./json.ts";

/** Status, and a JSON body when there is one. */
export interface Reply {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A JSON body. */
export function jsonReply(status: number, body: string): Reply {
  return { status, body: `${body}\n` };
}

/** A bare JSON string body, as upstream's error payloads of type string. */
export function stringReply(status: number, message: string): Reply {
  return { status, body: `${plainJSONString(message)}\n` };
}
