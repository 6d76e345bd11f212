import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import type { ErrorCode } from '../domain/errors.ts';

// GraphQL Armor's limits as validation rules. Armor throws its refusal out of graphql's validate
// (an unhandled error to mercurius); reported on the context instead, it is one more validation
// error, cached with the document like the depth and cost limits, with a code from the error table.

const reportedAs = (code: ErrorCode, advice: string) => ({
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(`${error.message.replace(/^Syntax Error: /, '')} ${advice}`, { extensions: { code } })),
  ],
});

/** At most `n` aliases per operation (fragments counted where spread): aliases multiply work. */
export const aliasesLimitRule = (n: number): ValidationRule =>
  maxAliasesRule({ n, ...reportedAs('QUERY_TOO_COSTLY', 'Each alias runs its field again: ask once, or split the request.') }) as unknown as ValidationRule;

/** At most `n` directives per operation. */
export const directivesLimitRule = (n: number): ValidationRule =>
  maxDirectivesRule({ n, ...reportedAs('QUERY_TOO_COSTLY', 'Use fewer @include/@skip directives.') }) as unknown as ValidationRule;
