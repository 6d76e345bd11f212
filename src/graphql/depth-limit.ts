import { GraphQLError, Kind, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';

// How deep an operation nests its fields; a fragment adds no level of its own. Cycles are refused by
// the standard rules, which run beside this one, so a fragment already on the path is skipped.
function depthOf(context: ValidationContext, set: SelectionSetNode, path: Set<string>): number {
  let deepest = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      deepest = Math.max(deepest, 1 + (selection.selectionSet ? depthOf(context, selection.selectionSet, path) : 0));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(context, selection.selectionSet, path));
    } else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      if (!fragment || path.has(name)) continue;
      path.add(name);
      deepest = Math.max(deepest, depthOf(context, fragment.selectionSet, path));
      path.delete(name);
    }
  }
  return deepest;
}

/** A validation rule refusing operations that nest fields deeper than `limit`. */
export function depthLimitRule(limit: number): ValidationRule {
  return (context) => ({
    OperationDefinition(node) {
      const depth = depthOf(context, node.selectionSet, new Set());
      if (depth <= limit) return;
      context.reportError(
        new GraphQLError(`The query nests ${depth} levels deep; the limit is ${limit}. Ask for fewer nested fields.`, {
          nodes: [node],
          extensions: { code: 'QUERY_TOO_DEEP', depth, limit },
        }),
      );
    },
  });
}
