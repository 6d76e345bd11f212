import fc from 'fast-check';

// fast-check arbitraries driven by the JSON Schemas of openapi.yaml: values that fit the
// schema, and the same values broken in the ways clients and attackers break them.
type Schema = Record<string, unknown>;

export const HOSTILE_STRINGS = [
  "' OR 1=1; DROP TABLE relationships; --",
  '"; SELECT pg_sleep(5); --',
  '<script>alert(1)</script>',
  '{{constructor.constructor("return process")()}}',
  '../../etc/passwd',
  '\u0000\u0001\u0002',
  '\ud800',
  '👩🏽‍💻🧑‍🤝‍🧑 mentoring ✨',
  'ǅ̸̢̛̼̪͈͗͛ z̴̨͖͗a̷̰͋l̷͍̓g̷̹̀o̶̟͝',
  '__proto__',
  '1e309',
  '-0',
  'x'.repeat(100_000),
];

const resolve = (schema: Schema, components: Record<string, Schema>): Schema => {
  const ref = schema.$ref as string | undefined;
  return ref ? resolve(components[ref.split('/').pop()!]!, components) : schema;
};

export function valid(schema: Schema, components: Record<string, Schema>, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  if (s.enum) return fc.constantFrom(...(s.enum as unknown[]));
  if (s.const !== undefined) return fc.constant(s.const);
  const anyOf = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (anyOf) return fc.oneof(...anyOf.map((option) => valid(option, components, depth + 1)));
  const type = Array.isArray(s.type) ? (s.type as string[]).find((t) => t !== 'null') : (s.type as string | undefined);
  switch (type) {
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, Schema>;
      const required = new Set((s.required ?? []) as string[]);
      const entries = Object.entries(properties).filter(([name]) => required.has(name) || depth < 3);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, property] of entries) record[name] = valid(property, components, depth + 1);
      return fc.record(record, { requiredKeys: [...required].filter((name) => name in record) });
    }
    case 'array':
      return fc.array(valid((s.items ?? {}) as Schema, components, depth + 1), { minLength: (s.minItems as number) ?? 0, maxLength: Math.min((s.maxItems as number) ?? 3, 3) });
    case 'string':
      if (s.format === 'uuid') return fc.uuid();
      if (s.format === 'date') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      if (s.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
      if (s.format === 'email') return fc.emailAddress();
      if (s.format === 'uri') return fc.webUrl();
      return fc.string({ minLength: Math.max(1, (s.minLength as number) ?? 0), maxLength: Math.min((s.maxLength as number) ?? 30, 30) });
    case 'integer':
      return fc.integer({ min: (s.minimum as number) ?? -1000, max: (s.maximum as number) ?? 1000 });
    case 'number':
      return fc.double({ min: -1e6, max: 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

const deepJson = (depth: number): unknown => (depth === 0 ? 'bottom' : { nested: [deepJson(depth - 1)] });

/** A value of the schema, then broken: wrong types, hostile or huge strings, deep JSON, missing or extra fields. */
export function hostile(schema: Schema, components: Record<string, Schema>): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.constantFrom(null, true, -1, 1e308, [], {}, [[[[]]]]),
    fc.constant(deepJson(200)),
    fc.string({ unit: 'grapheme', maxLength: 50 }),
  );
  return fc.oneof(
    { weight: 1, arbitrary: wrong },
    {
      weight: 4,
      arbitrary: fc.tuple(valid(schema, components), wrong, fc.nat(), fc.constantFrom('replace', 'drop', 'add')).map(([value, bad, pick, how]) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad;
        const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
        const keys = Object.keys(copy);
        const key = keys.length ? keys[pick % keys.length]! : 'unexpected';
        if (how === 'replace') copy[key] = bad;
        else if (how === 'drop') delete copy[key];
        else copy[`unexpected_${pick % 5}`] = bad;
        return copy;
      }),
    },
  );
}
