import { MAX_RESULTS, SCHEMA } from './schemas.ts';

// The discovery documents (RFC 7644 §4, RFC 7643 §5–7): what this service provider supports, its
// one resource type, and the schemas of its attributes. Static: the same for every organisation.

export function serviceProviderConfig(base: string) {
  return {
    schemas: [SCHEMA.serviceProviderConfig],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'A bearer token of an integration client with the scim scope (POST /oauth/token, client_credentials).',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

export function userResourceType(base: string) {
  return {
    schemas: [SCHEMA.resourceType],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'A person of the organisation: mentor, mentee or both.',
    schema: SCHEMA.user,
    schemaExtensions: [{ schema: SCHEMA.enterprise, required: false }],
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
  };
}

interface Attribute {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'dateTime' | 'reference';
  multiValued?: boolean;
  description: string;
  required?: boolean;
  caseExact?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'writeOnly' | 'immutable';
  returned?: 'always' | 'never' | 'default' | 'request';
  uniqueness?: 'none' | 'server' | 'global';
  subAttributes?: Attribute[];
  referenceTypes?: string[];
}

const attribute = (a: Attribute): Attribute => ({
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...a,
});
const text = (name: string, description: string, extra: Partial<Attribute> = {}) => attribute({ name, type: 'string', description, ...extra });

const USER_ATTRIBUTES = [
  text('userName', 'Unique identifier for the User, as the identity provider knows them. Unique in the organisation, compared without case.', { required: true, uniqueness: 'server' }),
  attribute({
    name: 'name',
    type: 'complex',
    description: "The components of the user's name; kept as sent.",
    subAttributes: ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'].map((n) => text(n, `The ${n} of the name.`)),
  }),
  text('displayName', "The name shown for the user; Tandem's name for the person (else the name's parts)."),
  text('nickName', 'A casual name.'),
  text('title', 'Job title.'),
  text('userType', 'Relationship to the organisation, such as Employee or Contractor.'),
  text('preferredLanguage', 'Preferred written or spoken language.'),
  text('locale', 'Default location for localisation, such as en-US.'),
  text('timezone', 'IANA time zone, such as Europe/London; kept when a request leaves it out.'),
  attribute({ name: 'active', type: 'boolean', description: 'False de-provisions: the person can no longer act; their active relationships follow each programme setting.' }),
  attribute({
    name: 'emails',
    type: 'complex',
    multiValued: true,
    description: 'Email addresses; Tandem keeps the primary one (else the work one) as the person\'s email, and filters by it.',
    subAttributes: [text('value', 'The address.'), text('type', 'work, home or other.'), attribute({ name: 'primary', type: 'boolean', description: 'The preferred address.' })],
  }),
  attribute({
    name: 'phoneNumbers',
    type: 'complex',
    multiValued: true,
    description: 'Phone numbers; kept as sent.',
    subAttributes: [text('value', 'The number.'), text('type', 'work, mobile, home or other.')],
  }),
];

const ENTERPRISE_ATTRIBUTES = [
  text('employeeNumber', 'Identifier assigned by the organisation.'),
  text('costCenter', 'Cost centre; kept as sent.'),
  text('organization', 'Organisation name.'),
  text('division', 'Division; kept as sent.'),
  text('department', 'Department.'),
  attribute({
    name: 'manager',
    type: 'complex',
    description: "The user's manager: value is the manager's id (a bare id string is accepted too).",
    subAttributes: [text('value', "The manager's id.", { caseExact: true }), text('displayName', "The manager's name.", { mutability: 'readOnly' })],
  }),
];

export function schemaDocuments(base: string) {
  return [
    { schemas: [SCHEMA.schema], id: SCHEMA.user, name: 'User', description: 'User Account', attributes: USER_ATTRIBUTES, meta: { resourceType: 'Schema', location: `${base}/Schemas/${SCHEMA.user}` } },
    {
      schemas: [SCHEMA.schema],
      id: SCHEMA.enterprise,
      name: 'EnterpriseUser',
      description: 'Enterprise User',
      attributes: ENTERPRISE_ATTRIBUTES,
      meta: { resourceType: 'Schema', location: `${base}/Schemas/${SCHEMA.enterprise}` },
    },
  ];
}

export const listOf = (resources: unknown[]) => ({
  schemas: [SCHEMA.listResponse],
  totalResults: resources.length,
  startIndex: 1,
  itemsPerPage: resources.length,
  Resources: resources,
});
