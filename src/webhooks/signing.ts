import { createHmac } from 'node:crypto';
import { secretKey } from './secrets.ts';

export interface SignedMessage {
  /** The event id: the same on every retry and resend, so receivers de-duplicate on it. */
  id: string;
  /** Unix seconds of this attempt. */
  timestamp: number;
  body: string;
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` per secret, space-separated (Standard Webhooks). */
export function signatureHeader(message: SignedMessage, secrets: string[]): string {
  const content = `${message.id}.${message.timestamp}.${message.body}`;
  return secrets.map((secret) => `v1,${createHmac('sha256', secretKey(secret)).update(content).digest('base64')}`).join(' ');
}

export function webhookHeaders(message: SignedMessage, secrets: string[]): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'Tandem-Webhooks/1',
    'webhook-id': message.id,
    'webhook-timestamp': String(message.timestamp),
    'webhook-signature': signatureHeader(message, secrets),
  };
}
