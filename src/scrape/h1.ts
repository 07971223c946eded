/**
 * A small HTTP/1.1 client for plain `http://` scrapes and remote-write
 * POSTs, with the part of undici's `dispatch` contract that fetch.ts and
 * remote/writeclient.ts use (so either can carry a request). Why not undici
 * for these: a scrape is one GET whose body goes straight into the loop's
 * buffer, and undici's general machinery (a llhttp parser in WebAssembly, a
 * fresh Buffer per socket read, per-request objects) cost as much CPU as
 * parsing the samples. Here every socket reads into one shared buffer
 * (`onread`), headers are parsed once, and the body is handed over as views
 * of that buffer.
 *
 * Supported: keep-alive with an idle timeout (Go's 90 s), Content-Length,
 * chunked and read-until-close bodies, request bodies given whole (sent with
 * Content-Length), a retry on a fresh connection when a reused one turns out
 * closed before any answer, for idempotent requests only (what Go does for a
 * GET; a POST is retried only when its caller says it is idempotent, as
 * undici's `idempotent` option). Not supported, left to undici by the
 * caller: TLS, proxies, HTTP/2, following redirects (a 3xx is returned as
 * is), 1xx responses (an error).
 */
import { connect, type Socket } from "node:net";
import type { Dispatcher } from "undici";

/** One buffer for every socket's reads: `onread` callbacks run synchronously, each consumes it. */
const READ_BUF = Buffer.allocUnsafe(64 * 1024);
/** Response headers bigger than this fail the request (undici's default is 16 KiB; Go's 1 MiB). */
const MAX_HEADER_BYTES = 1 << 20;
const CRLF2 = Buffer.from("\r\n\r\n");

/** An error with a code, as Node's and undici's: fetch.ts words errors from the code. */
function codeError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

type Handler = Dispatcher.DispatchHandler;
type Headers = Record<string, string | string[]>;

/** Where requests to an origin go, parsed once. */
interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly hostHeader: string;
}

/** A request as written: the head's bytes, the body, whether it may be sent twice. */
interface Request {
  readonly head: Buffer;
  readonly body: Uint8Array | null;
  readonly idempotent: boolean;
}

/** The request options {@link H1Agent.dispatch} reads (a subset of undici's `DispatchOptions`). */
export interface H1DispatchOptions {
  readonly origin: string;
  readonly path: string;
  readonly method: string;
  readonly headers: Headers;
  /** The whole request body, sent with `Content-Length`; it must not change until the request ends. */
  readonly body?: Uint8Array | null;
  /** Default: true for GET, HEAD, OPTIONS, TRACE, PUT and DELETE, as undici's. */
  readonly idempotent?: boolean;
}

/** Methods that may be sent again without a caller's say-so (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"]);

/** Where an exchange is in its response. */
const State = {
  head: 0,
  length: 1,
  chunkSize: 2,
  chunkData: 3,
  chunkDataEnd: 4,
  trailers: 5,
  untilClose: 6,
  done: 7,
} as const;

/** The request being answered on a connection, and the parse state of its response. */
class Exchange {
  readonly handler: Handler;
  readonly request: Buffer;
  readonly body: Uint8Array | null;
  /** May be sent again when a reused connection closes before any answer. */
  readonly idempotent: boolean;
  readonly agent: H1Agent;
  readonly key: string;
  readonly host: string;
  readonly port: number;
  conn: Conn | null = null;
  /** Bytes of the response seen so far (0: a closed reused socket may be retried). */
  received = 0;
  retried = false;
  aborted = false;
  reason: Error | null = null;
  state: number = State.head;
  head: Buffer | null = null;
  remaining = 0;
  keepAlive = true;
  /** Chunk-size line or trailer line being read. */
  line = "";

  constructor(agent: H1Agent, key: string, endpoint: Endpoint, request: Request, handler: Handler) {
    this.agent = agent;
    this.key = key;
    this.host = endpoint.host;
    this.port = endpoint.port;
    this.request = request.head;
    this.body = request.body;
    this.idempotent = request.idempotent;
    this.handler = handler;
  }

  /** The exchange is its own controller (undici's DispatchController): pausing is not needed. */
  get paused(): boolean {
    return false;
  }
  pause(): void {}
  resume(): void {}

  get #ctl(): Dispatcher.DispatchController {
    return this as unknown as Dispatcher.DispatchController;
  }

  abort(reason: Error): void {
    if (this.aborted || this.state === State.done) return;
    this.aborted = true;
    this.reason = reason;
    this.state = State.done;
    this.conn?.destroy();
    this.handler.onResponseError?.(this.#ctl, reason);
  }

  fail(err: Error): void {
    if (this.state === State.done) return;
    this.state = State.done;
    this.conn?.destroy();
    this.handler.onResponseError?.(this.#ctl, err);
  }

  /** Feeds response bytes `b[start, end)`. */
  feed(b: Buffer, start: number, end: number): void {
    this.received += end - start;
    let i = start;
    while (i < end && this.state !== State.done) {
      switch (this.state) {
        case State.head:
          i = this.#head(b, i, end);
          break;
        case State.length: {
          const n = Math.min(this.remaining, end - i);
          this.#data(b, i, i + n);
          i += n;
          this.remaining -= n;
          if (this.remaining === 0) this.#finish();
          break;
        }
        case State.untilClose:
          this.#data(b, i, end);
          i = end;
          break;
        case State.chunkData: {
          const n = Math.min(this.remaining, end - i);
          this.#data(b, i, i + n);
          i += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = State.chunkDataEnd;
          break;
        }
        default:
          i = this.#chunkControl(b, i, end);
      }
    }
    if (this.state === State.done && i < end) this.keepAlive = false; // bytes past the response
  }

  /** The socket ended: a read-until-close body is complete, anything else is cut short. */
  eof(): void {
    if (this.state === State.untilClose) {
      this.keepAlive = false;
      this.#finish();
      return;
    }
    if (this.state === State.done) return;
    if (this.received === 0 && this.#retry()) return;
    this.fail(
      this.state === State.head
        ? codeError("other side closed", "UND_ERR_SOCKET")
        : codeError("response body cut short", "UND_ERR_SOCKET"),
    );
  }

  /** A socket error before any answer on a reused connection: once more on a new one. */
  error(err: Error): void {
    if (this.state === State.done) return;
    if (this.received === 0 && this.#retry()) return;
    this.fail(err);
  }

  #retry(): boolean {
    if (this.retried || !this.idempotent || this.conn === null || !this.conn.reused) return false;
    this.retried = true;
    this.conn.exchange = null;
    this.conn.destroy();
    this.conn = null;
    this.agent.start(this, true);
    return true;
  }

  #data(b: Buffer, start: number, end: number): void {
    if (start === end || this.aborted) return;
    this.handler.onResponseData?.(this.#ctl, b.subarray(start, end));
  }

  #finish(): void {
    if (this.state === State.done && this.aborted) return;
    this.state = State.done;
    const conn = this.conn;
    this.conn = null;
    if (conn !== null) {
      conn.exchange = null;
      if (this.keepAlive) this.agent.release(conn);
      else conn.destroy();
    }
    this.handler.onResponseEnd?.(this.#ctl, {});
  }

  /** Collects header bytes until the blank line, then parses them. */
  #head(b: Buffer, start: number, end: number): number {
    const prev = this.head === null ? 0 : this.head.length;
    const joined =
      this.head === null ? b.subarray(start, end) : Buffer.concat([this.head, b.subarray(start, end)]);
    const at = joined.indexOf(CRLF2, Math.max(0, prev - 3));
    if (at < 0) {
      if (joined.length > MAX_HEADER_BYTES) {
        this.fail(codeError("response headers too large", "UND_ERR_HEADERS_OVERFLOW"));
        return end;
      }
      this.head = Buffer.from(joined); // a copy: READ_BUF is overwritten by the next read
      return end;
    }
    this.head = null;
    this.#parseHead(joined.toString("latin1", 0, at));
    return start + (at + 4 - prev);
  }

  #parseHead(text: string): void {
    const lines = text.split("\r\n");
    const m = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/.exec(lines[0] ?? "");
    if (m === null) {
      this.fail(
        codeError(`malformed HTTP response ${JSON.stringify(lines[0] ?? "")}`, "HPE_INVALID_CONSTANT"),
      );
      return;
    }
    const status = Number(m[2]);
    if (status < 200) {
      this.fail(codeError(`unexpected informational response ${status}`, "HPE_INVALID_STATUS"));
      return;
    }
    const headers: Headers = {};
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(":");
      if (colon <= 0) {
        this.fail(codeError(`malformed HTTP header ${JSON.stringify(line)}`, "HPE_INVALID_HEADER_TOKEN"));
        return;
      }
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      const had = headers[name];
      if (had === undefined) headers[name] = value;
      else if (Array.isArray(had)) had.push(value);
      else headers[name] = [had, value];
    }
    const one = (n: string): string => {
      const v = headers[n];
      return Array.isArray(v) ? v.join(", ") : (v ?? "");
    };
    const connection = one("connection").toLowerCase();
    this.keepAlive = m[1] === "1" ? !connection.includes("close") : connection.includes("keep-alive");
    const te = one("transfer-encoding").toLowerCase();
    const cl = one("content-length");
    this.handler.onResponseStart?.(this.#ctl, status, headers, m[3] ?? "");
    if (this.state === State.done) return; // aborted by the handler
    if (status === 204 || status === 304) {
      this.#finish();
    } else if (te !== "") {
      if (te !== "chunked") {
        this.fail(
          codeError(`unsupported transfer encoding ${JSON.stringify(te)}`, "HPE_INVALID_TRANSFER_ENCODING"),
        );
        return;
      }
      this.state = State.chunkSize;
      this.line = "";
    } else if (cl !== "") {
      if (!/^\d+$/.test(cl)) {
        this.fail(codeError(`invalid content-length ${JSON.stringify(cl)}`, "HPE_INVALID_CONTENT_LENGTH"));
        return;
      }
      this.remaining = Number(cl);
      this.state = State.length;
      if (this.remaining === 0) this.#finish();
    } else {
      this.state = State.untilClose;
    }
  }

  /** Chunk-size lines, the CRLF after each chunk, and the trailer section. */
  #chunkControl(b: Buffer, start: number, end: number): number {
    let i = start;
    while (i < end) {
      const c = b[i++]!;
      if (this.state === State.chunkDataEnd) {
        if (c === 0x0a) this.state = State.chunkSize;
        else if (c !== 0x0d) {
          this.fail(codeError("malformed chunked encoding", "HPE_INVALID_CHUNK_SIZE"));
          return end;
        }
        continue;
      }
      if (c !== 0x0a) {
        if (this.line.length > 4096) {
          this.fail(codeError("malformed chunked encoding", "HPE_INVALID_CHUNK_SIZE"));
          return end;
        }
        if (c !== 0x0d) this.line += String.fromCharCode(c);
        continue;
      }
      const line = this.line;
      this.line = "";
      if (this.state === State.trailers) {
        if (line === "") {
          this.#finish();
          return i;
        }
        continue;
      }
      const size = /^([0-9a-fA-F]{1,13})[ \t]*(;.*)?$/.exec(line);
      if (size === null) {
        this.fail(codeError("malformed chunked encoding", "HPE_INVALID_CHUNK_SIZE"));
        return end;
      }
      this.remaining = Number.parseInt(size[1]!, 16);
      this.state = this.remaining === 0 ? State.trailers : State.chunkData;
      return i;
    }
    return i;
  }
}

/** A keep-alive connection to one host:port. */
class Conn {
  readonly socket: Socket;
  readonly key: string;
  exchange: Exchange | null = null;
  /** True once it carried a response: a closed keep-alive socket may then be retried. */
  reused = false;
  idleTimer: NodeJS.Timeout | null = null;
  dead = false;

  constructor(key: string, host: string, port: number) {
    this.key = key;
    this.socket = connect({
      host,
      port,
      noDelay: true,
      onread: {
        buffer: READ_BUF,
        callback: (n: number, buf: Uint8Array): boolean => {
          if (this.exchange !== null) this.exchange.feed(buf as Buffer, 0, n);
          else this.destroy(); // bytes on an idle connection: it cannot be trusted
          return true;
        },
      },
    });
    this.socket.on("error", (err) => {
      this.dead = true;
      this.exchange?.error(err);
    });
    this.socket.on("end", () => {
      this.dead = true;
      this.socket.destroy();
      this.exchange?.eof();
    });
    this.socket.on("close", () => {
      this.dead = true;
      this.exchange?.eof();
    });
  }

  destroy(): void {
    this.dead = true;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.socket.destroy();
  }
}

/** The requests of one client (a scrape pool, a remote-write queue) over plain HTTP/1.1 (see the file comment). */
export class H1Agent {
  readonly #idle = new Map<string, Conn[]>();
  readonly #endpoints = new Map<string, Endpoint>();
  readonly #idleTimeoutMs: number;
  #closed = false;

  constructor(idleTimeoutMs: number) {
    this.#idleTimeoutMs = idleTimeoutMs;
  }

  /**
   * undici's `dispatch` for a request to an `http://` origin; the handler
   * sees the same calls. Throws on a header name or value with CR or LF, and
   * on a `Content-Length` or `Transfer-Encoding` header (the body sets them).
   */
  dispatch(opts: H1DispatchOptions, handler: Handler): boolean {
    const endpoint = this.#endpoint(opts.origin);
    let req = `${opts.method} ${opts.path} HTTP/1.1\r\nHost: ${endpoint.hostHeader}\r\n`;
    for (const [k, v] of Object.entries(opts.headers)) {
      if (/^(content-length|transfer-encoding)$/i.test(k))
        throw new Error(`invalid header ${JSON.stringify(k)}`);
      for (const one of Array.isArray(v) ? v : [v]) {
        if (/[\r\n]/.test(k) || /[\r\n]/.test(one)) throw new Error(`invalid header ${JSON.stringify(k)}`);
        req += `${k}: ${one}\r\n`;
      }
    }
    const body = opts.body ?? null;
    if (body !== null) req += `Content-Length: ${body.length}\r\n`;
    req += "\r\n";
    const request: Request = {
      head: Buffer.from(req, "latin1"),
      body: body === null || body.length === 0 ? null : body,
      idempotent: opts.idempotent ?? IDEMPOTENT.has(opts.method),
    };
    const ex = new Exchange(this, `${endpoint.host}:${endpoint.port}`, endpoint, request, handler);
    handler.onRequestStart?.(ex as unknown as Dispatcher.DispatchController, {});
    if (!ex.aborted) this.start(ex, false);
    return true;
  }

  /** Host, port and Host header of an origin, parsed once (fetch.ts already memoizes the split). */
  #endpoint(origin: string): Endpoint {
    let e = this.#endpoints.get(origin);
    if (e === undefined) {
      const u = new URL(origin);
      const host = u.hostname.startsWith("[") ? u.hostname.slice(1, -1) : u.hostname;
      e = { host, port: u.port === "" ? 80 : Number(u.port), hostHeader: u.host };
      if (this.#endpoints.size > 10_000) this.#endpoints.clear();
      this.#endpoints.set(origin, e);
    }
    return e;
  }

  /** Sends the exchange's request on an idle connection, or a new one (always new when `fresh`). */
  start(ex: Exchange, fresh: boolean): void {
    if (this.#closed) {
      ex.fail(codeError("the client is closed", "UND_ERR_CLOSED"));
      return;
    }
    let conn: Conn | undefined;
    if (!fresh) {
      const idle = this.#idle.get(ex.key);
      while (idle !== undefined && idle.length > 0) {
        const c = idle.pop()!;
        if (c.idleTimer !== null) clearTimeout(c.idleTimer);
        c.idleTimer = null;
        if (!c.dead) {
          conn = c;
          break;
        }
      }
    }
    conn ??= new Conn(ex.key, ex.host, ex.port);
    conn.exchange = ex;
    ex.conn = conn;
    conn.socket.ref();
    if (ex.body === null) {
      conn.socket.write(ex.request);
      return;
    }
    conn.socket.cork(); // head and body in one writev
    conn.socket.write(ex.request);
    conn.socket.write(ex.body);
    conn.socket.uncork();
  }

  /** Takes back a connection whose response is complete. */
  release(conn: Conn): void {
    conn.exchange = null;
    conn.reused = true;
    if (this.#closed || conn.dead) {
      conn.destroy();
      return;
    }
    conn.socket.unref();
    let idle = this.#idle.get(conn.key);
    if (idle === undefined) this.#idle.set(conn.key, (idle = []));
    idle.push(conn);
    conn.idleTimer = setTimeout(() => {
      const i = idle.indexOf(conn);
      if (i >= 0) idle.splice(i, 1);
      conn.destroy();
    }, this.#idleTimeoutMs);
    conn.idleTimer.unref();
  }

  /** Closes the idle connections; requests in flight finish. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const conns of this.#idle.values()) for (const c of conns) c.destroy();
    this.#idle.clear();
  }
}
