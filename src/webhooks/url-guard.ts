import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isBlockedAddress } from './ip-ranges.ts';

/** Resolves a host name to every address it has; injected so tests never touch DNS. */
export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

export interface UrlGuardOptions {
  /** Development and tests: http and private addresses allowed (WEBHOOK_ALLOW_PRIVATE_URLS). */
  allowPrivateUrls: boolean;
  resolve: Resolver;
}

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * The SSRF guard, on create, on update and again before every send: https only, no
 * credentials in the URL, and no host that is or resolves to a loopback, private, link-local,
 * metadata or otherwise internal address. Every resolved address must be public, so a name
 * with one public and one private record is refused too.
 */
export async function checkWebhookUrl(raw: string, options: UrlGuardOptions): Promise<UrlVerdict> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not a URL' };
  }
  const schemes = options.allowPrivateUrls ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) return { ok: false, reason: options.allowPrivateUrls ? 'must be http or https' : 'must be https' };
  if (url.username || url.password) return { ok: false, reason: 'must not carry credentials' };
  if (options.allowPrivateUrls) return { ok: true, url };

  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return isBlockedAddress(host) ? { ok: false, reason: `points to a private or reserved address (${host})` } : { ok: true, url };
  let addresses: string[];
  try {
    addresses = await options.resolve(host);
  } catch {
    return { ok: false, reason: `host ${host} does not resolve` };
  }
  if (addresses.length === 0) return { ok: false, reason: `host ${host} does not resolve` };
  const blocked = addresses.find(isBlockedAddress);
  if (blocked) return { ok: false, reason: `host ${host} resolves to a private or reserved address (${blocked})` };
  return { ok: true, url };
}
