import { randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';

/** A Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes. */
export const generateSecret = () => PREFIX + randomBytes(32).toString('base64');

/** The HMAC key is the base64-decoded part after the prefix. */
export const secretKey = (secret: string) => Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
