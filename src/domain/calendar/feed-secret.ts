import { createHash, randomBytes } from 'node:crypto';

/** A feed's secret: 256 random bits, URL-safe; only its SHA-256 is stored (a fast hash suffices for a random secret). */
export const newFeedSecret = () => randomBytes(32).toString('base64url');
export const hashFeedSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
export const FEED_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const feedPath = (secret: string) => `/calendar/${secret}.ics`;
