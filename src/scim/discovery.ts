import { DIRECTORY_LIMITS } from '../domain/schemas/directory.ts';
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
/** A text attribute with its bound (domain/schemas/directory.ts DIRECTORY_LIMITS), stated where RFC 7643 has room for it: the description. */
const bounded = (name: string, description: string, max: number, extra: Partial<Attribute> = {}) => text(name, `${description} At most ${max} characters.`, extra);
const { kept } = DIRECTORY_LIMITS;

const USER_ATTRIBUTES = [
  bounded('userName', 'Unique identifier for the User, as the identity provider knows them. Unique in the organisation, compared without case.', DIRECTORY_LIMITS.userName, {
    required: true,
    uniqueness: 'server',
  }),
  attribute({
    name: 'name',
    type: 'complex',
    description: "The components of the user's name; kept as sent.",
    subAttributes: ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'].map((n) => bounded(n, `The ${n} of the name.`, kept)),
  }),
  bounded('displayName', "The name shown for the user; Tandem's name for the person (else the name's parts).", DIRECTORY_LIMITS.name),
  bounded('nickName', 'A casual name.', kept),
  bounded('title', 'Job title.', kept),
  bounded('userType', 'Relationship to the organisation, such as Employee or Contractor.', kept),
  bounded('preferredLanguage', 'Preferred written or spoken language.', kept),
  bounded('locale', 'Default location for localisation, such as en-US.', DIRECTORY_LIMITS.locale),
  text('timezone', 'IANA time zone, such as Europe/London; kept when a request leaves it out.'),
  attribute({ name: 'active', type: 'boolean', description: 'False de-provisions: the person can no longer act; their active relationships follow each programme setting.' }),
  attribute({
    name: 'emails',
    type: 'complex',
    multiValued: true,
    description: 'Email addresses; Tandem keeps the primary one (else the work one) as the person\'s email, and filters by it.',
    subAttributes: [bounded('value', 'The address.', DIRECTORY_LIMITS.email), bounded('type', 'work, home or other.', kept), attribute({ name: 'primary', type: 'boolean', description: 'The preferred address.' })],
  }),
  attribute({
    name: 'phoneNumbers',
    type: 'complex',
    multiValued: true,
    description: 'Phone numbers; kept as sent.',
    subAttributes: [bounded('value', 'The number.', kept), bounded('type', 'work, mobile, home or other.', kept)],
  }),
];

const ENTERPRISE_ATTRIBUTES = [
  bounded('employeeNumber', 'Identifier assigned by the organisation.', DIRECTORY_LIMITS.employeeNumber),
  bounded('costCenter', 'Cost centre; kept as sent.', kept),
  bounded('organization', 'Organisation name.', DIRECTORY_LIMITS.organization),
  bounded('division', 'Division; kept as sent.', kept),
  bounded('department', 'Department.', DIRECTORY_LIMITS.department),
  attribute({
    name: 'manager',
    type: 'complex',
    description: "The user's manager: value is the manager's id (a bare id string is accepted too).",
    subAttributes: [
      bounded('value', "The manager's id.", DIRECTORY_LIMITS.managerId, { caseExact: true }),
      bounded('displayName', "The manager's name.", kept, { mutability: 'readOnly' }),
    ],
  }),
];

export function schemaDocuments(base: string) {
  return [
    { schemas: [SCHEMA.schema], id: SCHEMA.user, name: 'User', description: `User Account. externalId (a common attribute) holds at most ${DIRECTORY_LIMITS.externalId} characters. Attributes beyond those listed are kept as sent: each text at most ${kept} characters, nested at most ${DIRECTORY_LIMITS.keptDepth} deep, ${DIRECTORY_LIMITS.keptBytes} bytes of JSON in all; a longer value is refused (400 invalidValue).`, attributes: USER_ATTRIBUTES, meta: { resourceType: 'Schema', location: `${base}/Schemas/${SCHEMA.user}` } },
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
