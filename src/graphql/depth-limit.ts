import { GraphQLError, Kind, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';

// How deep an operation nests its fields; a fragment adds no level of its own. Cycles are refused by
// the standard rules, which run beside this one, so a fragment already on the path is skipped.
// Introspection (`__schema`, `__type`) is measured on its own, against INTROSPECTION_DEPTH_LIMIT:
// the standard introspection query that GraphiQL and code generators send nests 15 levels deep
// (ofType chains), and it reads the schema, not data.

/** Deep enough for graphql's getIntrospectionQuery(), and no deeper. */
export const INTROSPECTION_DEPTH_LIMIT = 16;
const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

interface Depths {
  data: number;
  introspection: number;
}

function depthOf(context: ValidationContext, set: SelectionSetNode, path: Set<string>, depths: Depths, level: number, inIntrospection: boolean): void {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const introspection = inIntrospection || INTROSPECTION_FIELDS.has(selection.name.value);
      const key = introspection ? 'introspection' : 'data';
      depths[key] = Math.max(depths[key], level + 1);
      if (selection.selectionSet) depthOf(context, selection.selectionSet, path, depths, level + 1, introspection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depthOf(context, selection.selectionSet, path, depths, level, inIntrospection);
    } else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      if (!fragment || path.has(name)) continue;
      path.add(name);
      depthOf(context, fragment.selectionSet, path, depths, level, inIntrospection);
      path.delete(name);
    }
  }
}

/** A validation rule refusing operations that nest fields deeper than `limit` (introspection: INTROSPECTION_DEPTH_LIMIT). */
export function depthLimitRule(limit: number): ValidationRule {
  return (context) => ({
    OperationDefinition(node) {
      const depths: Depths = { data: 0, introspection: 0 };
      depthOf(context, node.selectionSet, new Set(), depths, 0, false);
      for (const [depth, max] of [
        [depths.data, limit],
        [depths.introspection, INTROSPECTION_DEPTH_LIMIT],
      ] as const) {
        if (depth <= max) continue;
        context.reportError(
          new GraphQLError(`The query nests ${depth} levels deep; the limit is ${max}. Ask for fewer nested fields.`, {
            nodes: [node],
            extensions: { code: 'QUERY_TOO_DEEP', depth, limit: max },
          }),
        );
        return;
      }
    },
  });
}
