import { parse, specifiedRules, validate, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { GraphQLContext } from './context.ts';
import { describeError, toClientGraphQLError } from './errors.ts';

/**
 * preValidation hook (it runs once per new query text; parsed queries are cached). When a query
 * does not parse, mercurius falls back to reading it as a JSON-encoded AST, so "0" or a hand-made
 * AST would reach validation and crash it. Clients send GraphQL text only: anything else is
 * refused with its syntax error, as any parse error is (400 GRAPHQL_PARSE_FAILED).
 */
export async function requireGraphQLText(_schema: GraphQLSchema, _document: DocumentNode, context: GraphQLContext): Promise<void> {
  const source: unknown = context.__currentQuery;
  if (typeof source !== 'string') return;
  try {
    parse(source);
  } catch (syntaxError) {
    throw Object.assign(new Error('The query is not GraphQL.'), { statusCode: 400, errors: [syntaxError] });
  }
}

/**
 * preSubscriptionExecution hook: mercurius runs subscriptions without validating them, so they get
 * the same validation (and cost limit) as queries here; the refusal carries its code.
 */
export function validateSubscriptions(rules: readonly ValidationRule[]) {
  return async (schema: GraphQLSchema, document: DocumentNode): Promise<void> => {
    const errors = validate(schema, document, [...specifiedRules, ...rules]);
    if (errors.length) throw toClientGraphQLError(Object.assign(new Error('Graphql validation error'), { statusCode: 400, errors }));
  };
}

/**
 * What a WebSocket operation's document is refused for, before mercurius sees it: mercurius parses
 * a subscription's text without a token limit (and takes a non-string as a ready AST), so the
 * WebSocket guard holds each one to the limits a document over HTTP meets: text only, at most
 * `maxTokens` tokens, then the same validation rules (depth, cost, aliases, directives). Null
 * when the document may run; else the errors as a client sees them, with their codes.
 */
export function webSocketDocumentRefusal(schema: GraphQLSchema, query: unknown, rules: readonly ValidationRule[], maxTokens: number): GraphQLFormattedError[] | null {
  const refusal = (errors: unknown[]) => describeError(Object.assign(new Error('Graphql validation error'), { statusCode: 400, errors }), false).map((d) => d.formatted);
  if (typeof query !== 'string') return refusal([new Error('Syntax Error: the query is not GraphQL text.')]);
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens });
  } catch (syntaxError) {
    return refusal([syntaxError]);
  }
  const errors = validate(schema, document, [...specifiedRules, ...rules]);
  return errors.length ? refusal([...errors]) : null;
}
