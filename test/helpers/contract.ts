import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

// Every response the suite sees is checked against the committed openapi.yaml with Ajv
// (JSON Schema 2020-12, the dialect of OpenAPI 3.1): an undocumented status or a body that
// does not match its schema fails the test that made the call.
interface Operation {
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: object;
}

const document = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as Document;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);

const routes = Object.entries(document.paths).map(([template, operations]) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  operations,
}));
const compiled = new Map<string, ValidateFunction>();

/** Returns a list of contract violations for one response (empty when it conforms). */
export function contractViolations(method: string, url: string, status: number, contentType: string | undefined, body: unknown): string[] {
  const path = url.split('?')[0]!;
  if (!path.startsWith('/v1/')) return [];
  const route = routes.find((r) => r.pattern.test(path));
  const operation = route?.operations[method.toLowerCase()];
  if (!route || !operation) return status === 404 || status === 405 ? [] : [`${method} ${path} is not in openapi.yaml`];
  const response = operation.responses[String(status)];
  if (!response) return [`${method} ${route.template} answered ${status}, which openapi.yaml does not document`];
  const mediaType = contentType?.split(';')[0]?.trim() ?? '';
  const content = response.content?.[mediaType] ?? response.content?.['application/json'];
  if (!content) return body === undefined || body === '' ? [] : [];
  const key = `${method} ${route.template} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile({ ...content.schema, components: document.components });
    compiled.set(key, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${key}: ${e.instancePath || '(root)'} ${e.message}`);
}
