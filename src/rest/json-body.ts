import { isUtf8 } from 'node:buffer';
import type { FastifyBodyParser, FastifyInstance } from 'fastify';
import { DomainError } from '../domain/errors.ts';

/** JSON bodies are UTF-8 (RFC 8259 §8.1); a declared charset may only say so. */
const UTF8 = new Set(['utf-8', 'utf8']);

/** The `charset` parameter of a Content-Type header, lower-cased and unquoted; undefined when absent. */
export function declaredCharset(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType ?? '');
  return match ? (match[1] ?? match[2] ?? '').toLowerCase() : undefined;
}

/**
 * The one JSON body parser of every transport (REST, GraphQL, SCIM): a charset other than UTF-8 is
 * refused (415) rather than ignored, and bytes that are not UTF-8 are refused (400) rather than
 * decoded to U+FFFD and stored. Then fastify's own parser (prototype poisoning refused) reads the text.
 */
export function jsonBodyParser(app: FastifyInstance): FastifyBodyParser<Buffer> {
  const parseText = app.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    const charset = declaredCharset(request.headers['content-type']);
    if (charset !== undefined && !UTF8.has(charset)) {
      done(
        new DomainError('UNSUPPORTED_MEDIA_TYPE', `JSON bodies are read as UTF-8 only; charset=${charset} is not accepted. Send UTF-8 and say charset=utf-8 or no charset.`, {
          errors: [{ path: 'headers.content-type', message: `charset ${charset} is not accepted; use utf-8` }],
        }),
        undefined,
      );
      return;
    }
    if (!isUtf8(body)) {
      done(new DomainError('BAD_USER_INPUT', 'The body is not valid UTF-8; JSON bodies must be UTF-8.', { errors: [{ path: 'body', message: 'is not valid UTF-8' }] }), undefined);
      return;
    }
    parseText(request, body.toString('utf8'), done);
  };
}

/** Replaces fastify's application/json parser (which decodes bad bytes to U+FFFD and ignores the charset) for the whole app. */
export function useJsonBodyParser(app: FastifyInstance): FastifyBodyParser<Buffer> {
  const parser = jsonBodyParser(app);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, parser);
  return parser;
}
