import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { nonPublicReason } from '../../domain/network-address.ts';
import type { HttpSender, SendResult } from '../../domain/ports/deliveries.ts';

export interface GuardedHttpSenderOptions {
  timeoutMs: number;
  /** Local runtime only: allow loopback, private and link-local targets. */
  allowPrivateNetworks: boolean;
  /** Response bytes kept for the log and rejected events. */
  excerptBytes?: number;
  /** Called with the reason whenever a target address is refused. */
  onRefused?: (url: string, reason: string) => void;
}

class RefusedAddressError extends Error {
  readonly code = 'EREFUSEDADDRESS';
}

/**
 * POSTs to receivers with Node's http client, never following redirects. The SSRF guard sits where
 * the connection is made: the DNS lookup drops non-public addresses (so the socket can only connect to
 * what was checked, closing the DNS-rebinding gap), and the connected socket's remote address is
 * checked again, which also covers literal IPs that skip the lookup.
 */
export class GuardedHttpSender implements HttpSender {
  private readonly agents: { http: http.Agent; https: https.Agent };
  private readonly excerptBytes: number;

  constructor(private readonly options: GuardedHttpSenderOptions) {
    const lookup = this.guardedLookup();
    // Keep-alive: most deliveries go to a handful of receivers, and TLS handshakes dominate otherwise.
    this.agents = {
      http: new http.Agent({ keepAlive: true, maxSockets: 64, lookup } as http.AgentOptions),
      https: new https.Agent({ keepAlive: true, maxSockets: 64, lookup } as https.AgentOptions),
    };
    this.excerptBytes = options.excerptBytes ?? 8192;
  }

  post(
    url: string,
    body: string,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      let callOff: (() => void) | undefined;
      const finish = (result: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (callOff) signal?.removeEventListener('abort', callOff);
        resolve(result);
      };
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        finish({ ok: false, error: `invalid URL ${url}`, durationMs: 0 });
        return;
      }
      const literal = target.hostname.replace(/^\[|\]$/g, '');
      const literalReason = isIP(literal) ? this.refusal(literal) : undefined;
      if (literalReason) {
        this.options.onRefused?.(url, literalReason);
        finish({ ok: false, error: `refused: ${literalReason}`, durationMs: 0 });
        return;
      }
      const isHttps = target.protocol === 'https:';
      const request = (isHttps ? https : http).request(target, {
        method: 'POST',
        agent: isHttps ? this.agents.https : this.agents.http,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      });
      timer = setTimeout(() => {
        request.destroy(new Error(`timeout after ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      callOff = () => request.destroy(new Error(String(signal?.reason ?? 'called off')));
      if (signal?.aborted) callOff();
      else signal?.addEventListener('abort', callOff, { once: true });
      request.on('socket', (socket) => {
        const check = () => {
          const reason = socket.remoteAddress ? this.refusal(socket.remoteAddress) : undefined;
          if (reason) {
            this.options.onRefused?.(url, reason);
            request.destroy(new RefusedAddressError(reason));
          }
        };
        if (socket.remoteAddress)
          check(); // a reused keep-alive socket
        else socket.once('connect', check);
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept < this.excerptBytes) {
            chunks.push(chunk);
            kept += chunk.length;
          }
        });
        response.on('end', () =>
          finish({
            ok: true,
            status: response.statusCode ?? 0,
            headers: Object.fromEntries(
              Object.entries(response.headers).map(([key, value]) => [
                key,
                Array.isArray(value) ? value.join(', ') : value,
              ]),
            ),
            excerpt: Buffer.concat(chunks).subarray(0, this.excerptBytes).toString('utf8'),
            durationMs: elapsed(),
          }),
        );
        response.on('error', (error) => finish({ ok: false, error: describe(error), durationMs: elapsed() }));
      });
      request.on('error', (error) => finish({ ok: false, error: describe(error), durationMs: elapsed() }));
      request.end(body);
    });
  }

  /** Why an address may not be reached, or undefined. */
  private refusal(address: string): string | undefined {
    if (this.options.allowPrivateNetworks) return undefined;
    return nonPublicReason(address);
  }

  private guardedLookup(): LookupFunction {
    return (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
        if (error) {
          callback(error, '', 0);
          return;
        }
        const allowed = addresses.filter((entry) => !this.refusal(entry.address));
        const first = allowed[0];
        if (!first) {
          const reason = `${hostname} resolves only to refused addresses (${addresses.map((a) => a.address).join(', ')})`;
          this.options.onRefused?.(hostname, reason);
          callback(new RefusedAddressError(reason), '', 0);
          return;
        }
        if (options.all) callback(null, allowed as unknown as string, 0);
        else callback(null, first.address, first.family);
      });
    };
  }
}

const describe = (error: Error & { code?: string }): string => {
  if (error instanceof RefusedAddressError) return `refused: ${error.message}`;
  switch (error.code) {
    case 'ECONNRESET':
      return 'connection reset (ECONNRESET)';
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED)';
    case 'ENOTFOUND':
      return 'host not found (ENOTFOUND)';
    case 'ETIMEDOUT':
      return 'connection timed out (ETIMEDOUT)';
    default:
      return error.code ? `${error.message} (${error.code})` : error.message;
  }
};
