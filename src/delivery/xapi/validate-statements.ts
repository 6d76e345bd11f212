import xapiValidation from 'xapi-validation';

interface ValidationWarning {
  name: string;
  message: string;
  path: (string | number)[];
  typeName?: string;
}
type Validate = (statement: unknown) => ValidationWarning[];
// A CommonJS module with `exports.default`: Node hands ESM the exports object, a bundler may hand it the function.
const loaded = xapiValidation as unknown as Validate | { default: Validate };
const validate: Validate = typeof loaded === 'function' ? loaded : loaded.default;

/**
 * Every problem Learning Locker's validator (conformance-tested against the xAPI specification's
 * statement rules) finds in the statements, as `statement[i].path: problem`; empty when all pass.
 */
export function statementProblems(statements: readonly Record<string, unknown>[]): string[] {
  return statements.flatMap((statement, index) =>
    validate(statement).map((warning) => {
      const path = warning.path.slice(1).map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('');
      const detail = warning.typeName ? ` (expected ${warning.typeName})` : warning.message && warning.message !== 'Validation Error' ? ` (${warning.message})` : '';
      return `statement[${index}]${path}: ${warning.name}${detail}`;
    }),
  );
}
