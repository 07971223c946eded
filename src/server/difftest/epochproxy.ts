/**
 * A proxy that makes two scrapers see the same bytes: for each upstream
 * target it fetches the body once per epoch (wall-clock time cut into
 * `epochMs` slices) and serves that same body to every scrape arriving in the
 * epoch. Two servers scraping once per epoch then store identical values for
 * that epoch, whatever their offsets, which is what the scrape differential
 * test compares. Only loopback addresses; the body is fetched with a fixed
 * classic-text `Accept`, so both servers parse the same format.
 */
import { createServer, type Server } from "node:http";

const ACCEPT = "text/plain;version=0.0.4;q=1,*/*;q=0.1";

export interface ProxiedTarget {
  /** The proxy's address, `127.0.0.1:<port>`, to put in the scrape config. */
  readonly address: string;
  /** The real target's `/metrics` URL. */
  readonly upstream: string;
}

interface Cached {
  epoch: number;
  body: Promise<{ status: number; contentType: string; body: Buffer }>;
}

/** Runs one listener per upstream URL; `close` stops them. */
export class EpochProxy {
  readonly targets: ProxiedTarget[] = [];
  private readonly servers: Server[] = [];
  readonly epochMs: number;
  /**
   * Per proxy address, each request's arrival epoch and scraper (its
   * User-Agent's product, "Vigil" or "Prometheus"): a request delayed past an
   * epoch boundary gets the next epoch's body although its sample carries the
   * scheduled time.
   */
  readonly arrivals = new Map<string, { epoch: number; scraper: string }[]>();

  private constructor(epochMs: number) {
    this.epochMs = epochMs;
  }

  static async start(upstreams: readonly string[], epochMs: number): Promise<EpochProxy> {
    const proxy = new EpochProxy(epochMs);
    for (const upstream of upstreams) await proxy.add(upstream);
    return proxy;
  }

  /** The epoch a timestamp (ms) falls in. */
  epochOf(t: number): number {
    return Math.floor(t / this.epochMs);
  }

  private async add(upstream: string): Promise<void> {
    let cached: Cached | null = null;
    const arrivals: { epoch: number; scraper: string }[] = [];
    const server = createServer((req, res) => {
      const epoch = this.epochOf(Date.now());
      arrivals.push({ epoch, scraper: (req.headers["user-agent"] ?? "").split("/")[0]! });
      if (cached === null || cached.epoch !== epoch) cached = { epoch, body: fetchBody(upstream) };
      cached.body.then(
        (r) => {
          res.writeHead(r.status, { "Content-Type": r.contentType, "Content-Length": r.body.length });
          res.end(req.method === "HEAD" ? undefined : r.body);
        },
        (err: unknown) => {
          res.writeHead(502, { "Content-Type": "text/plain" });
          res.end(String(err));
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const addr = server.address();
    const port = typeof addr === "object" && addr !== null ? addr.port : 0;
    this.servers.push(server);
    this.targets.push({ address: `127.0.0.1:${port}`, upstream });
    this.arrivals.set(`127.0.0.1:${port}`, arrivals);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.closeAllConnections();
            s.close(() => resolve());
          }),
      ),
    );
  }
}

async function fetchBody(url: string): Promise<{ status: number; contentType: string; body: Buffer }> {
  const r = await fetch(url, { headers: { Accept: ACCEPT }, signal: AbortSignal.timeout(5000) });
  return {
    status: r.status,
    contentType: r.headers.get("content-type") ?? "text/plain; version=0.0.4",
    body: Buffer.from(await r.arrayBuffer()),
  };
}
