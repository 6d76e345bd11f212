import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  valueFromASTUntyped,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

// A query's cost estimates the objects it may load: each object field (and each aliased field)
// costs 1 per parent, and a list multiplies what lies below it by its size, read from the schema's @listSize directive.
// It runs as a validation rule, so the result is cached with the parsed query; a size given by a
// variable counts as the field's assumedSize (the most it may return).

const UNANNOTATED_LIST_SIZE = 10;

interface ListSize {
  assumedSize: number;
  slicingArguments: string[];
  sizedFields: string[];
}
interface Sized {
  fields: string[];
  size: number;
}

function listSizeOf(field: GraphQLField<unknown, unknown>): ListSize | null {
  const directive = field.astNode?.directives?.find((d) => d.name.value === 'listSize');
  if (!directive) return null;
  const args = Object.fromEntries((directive.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)])) as Partial<ListSize>;
  return { assumedSize: args.assumedSize ?? UNANNOTATED_LIST_SIZE, slicingArguments: args.slicingArguments ?? [], sizedFields: args.sizedFields ?? [] };
}

function sizeOf(field: GraphQLField<unknown, unknown>, node: FieldNode, listSize: ListSize): number {
  for (const name of listSize.slicingArguments) {
    const argument = node.arguments?.find((a) => a.name.value === name);
    if (argument?.value.kind === Kind.INT) return Math.max(0, Number.parseInt(argument.value.value, 10));
    if (argument) return listSize.assumedSize;
    const defaultValue = field.args.find((a) => a.name === name)?.defaultValue;
    if (typeof defaultValue === 'number') return defaultValue;
  }
  return listSize.assumedSize;
}

function fieldCost(context: ValidationContext, node: FieldNode, parent: GraphQLNamedType, multiplier: number, sized: Sized | null, path: Set<string>): number {
  if (!isObjectType(parent) && !isInterfaceType(parent)) return 0;
  const field = parent.getFields()[node.name.value];
  // Scalars and __typename cost nothing, unless aliased: each alias runs its field once more.
  if (!field || !node.selectionSet) return node.alias ? multiplier : 0;
  const sizedByParent = sized?.fields.includes(node.name.value) === true;
  const own = sizedByParent && sized ? multiplier * sized.size : multiplier;
  const listSize = listSizeOf(field);
  let below = own;
  let belowSized: Sized | null = null;
  if (listSize?.sizedFields.length) belowSized = { fields: listSize.sizedFields, size: sizeOf(field, node, listSize) };
  else if (listSize) below = own * sizeOf(field, node, listSize);
  else if (!sizedByParent && isListType(getNullableType(field.type))) below = own * UNANNOTATED_LIST_SIZE;
  return own + selectionsCost(context, node.selectionSet, getNamedType(field.type), below, belowSized, path);
}

function selectionsCost(context: ValidationContext, set: SelectionSetNode, parent: GraphQLNamedType, multiplier: number, sized: Sized | null, path: Set<string>): number {
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      total += fieldCost(context, selection, parent, multiplier, sized, path);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? context.getSchema().getType(selection.typeCondition.name.value) : parent;
      if (type) total += selectionsCost(context, selection.selectionSet, type, multiplier, sized, path);
    } else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      const type = fragment && context.getSchema().getType(fragment.typeCondition.name.value);
      if (!fragment || !type || path.has(name)) continue; // cycles are refused by the standard rules
      path.add(name);
      total += selectionsCost(context, fragment.selectionSet, type, multiplier, sized, path);
      path.delete(name);
    }
  }
  return total;
}

/** A validation rule refusing operations whose estimated cost is over `limit`. */
export function costLimitRule(limit: number): ValidationRule {
  return (context) => ({
    OperationDefinition(node) {
      const root = context.getSchema().getRootType(node.operation);
      if (!root) return;
      const cost = selectionsCost(context, node.selectionSet, root, 1, null, new Set());
      if (cost <= limit) return;
      context.reportError(
        new GraphQLError(`This query would load about ${cost} objects; the limit is ${limit}. Ask for fewer items (first) or fewer nested lists.`, {
          nodes: [node],
          extensions: { code: 'QUERY_TOO_COSTLY', cost, limit },
        }),
      );
    },
  });
}
