import type { LookupFunction } from 'node:net';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { lookup as dnsLookup } from 'node:dns';
import { isBlockedAddress } from './ip-ranges.ts';
import type { OutboundResponse, Sender } from './sender.ts';
import { RESPONSE_BODY_LIMIT } from './vocabulary.ts';

/**
 * The one address check that cannot be raced: the addresses a connection is about to use are
 * checked in the socket's own lookup, so a name that re-resolves between the guard and the
 * connect (DNS rebinding) is still refused.
 */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return (callback as (e: Error) => void)(error);
    const blocked = addresses.find((entry) => isBlockedAddress(entry.address));
    if (blocked) return (callback as (e: Error) => void)(new Error(`refused: ${hostname} resolves to a private or reserved address (${blocked.address})`));
    if (options.all) return (callback as (e: null, a: typeof addresses) => void)(null, addresses);
    const first = addresses[0]!;
    return callback(null, first.address, first.family);
  });
};

/** Reads at most `limit` bytes of a response, then lets the connection go. */
function readCapped(response: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => resolve(Buffer.concat(chunks).subarray(0, limit).toString('utf8'));
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) {
        response.destroy();
        finish();
      }
    });
    response.on('end', finish);
    response.on('error', finish);
    response.on('close', finish);
  });
}

/** POSTs with node:http(s): no redirects followed, the body read up to 16 KiB, private addresses refused at connect unless allowed. */
export function createHttpSender(options: { allowPrivateUrls: boolean }): Sender {
  return ({ url, headers, body, signal }) =>
    new Promise<OutboundResponse>((resolve, reject) => {
      const target = new URL(url);
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(target, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal,
        ...(options.allowPrivateUrls ? {} : { lookup: guardedLookup }),
      });
      request.on('response', (response) => {
        const retryAfter = response.headers['retry-after'];
        // The deadline covers the whole attempt, body included: a body still dripping when it
        // passes is a timeout, not a success with whatever arrived.
        readCapped(response, RESPONSE_BODY_LIMIT).then((text) => {
          if (signal?.aborted) return reject(signal.reason);
          resolve({ status: response.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : null, body: text });
        });
      });
      request.on('error', reject);
      request.end(body);
    });
}
