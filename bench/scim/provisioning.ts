import http from 'node:http';
import { percentiles } from '../measure/result.ts';

// Issue 16: an identity provider provisioning N people through SCIM, one request at a time
// (POST /scim/v2/Users), and the way Okta and Entra ID actually do it (GET ?filter=userName eq "…"
// first, then POST), against the REST batch upsert of the same people (POST /v1/people/batch,
// 1,000 a request). The three run interleaved in rounds, so the shared machine's load falls on
// each alike, and their ratios come from the same run.

export type ProvisioningMode = 'batch' | 'scim-create' | 'scim-lookup-create';
export const MODES: ProvisioningMode[] = ['batch', 'scim-create', 'scim-lookup-create'];
const BATCH = 1000;
const WARM_UP = 200;

export interface ModeResult {
  mode: ProvisioningMode;
  people: number;
  requests: number;
  seconds: number;
  /** People provisioned per second over the whole mode (sum of its rounds). */
  peoplePerSecond: number;
  /** Median and range of the rounds' people per second. */
  roundMedian: number;
  roundMin: number;
  roundMax: number;
  /** Latency of one request (ms). */
  p50: number;
  p99: number;
  errors: number;
}

export interface ScimProvisioningResult {
  people: number;
  rounds: number;
  modes: ModeResult[];
  /** App CPU time (user + system) per person provisioned, ms, by mode. */
  cpuPerPerson: Partial<Record<ProvisioningMode, number>>;
  note?: string;
}

export interface ProvisioningOptions {
  appUrl: string;
  /** An integration client's token with the scim scope. */
  scimToken: string;
  /** An admin's token for the REST batch. */
  adminToken: string;
  people: number;
  /** The app child's CPU time so far (µs, user + system), read before and after each round. */
  appCpu: () => Promise<number>;
  log: (line: string) => void;
}

/** The same person on both surfaces: the REST sync's fields, and the SCIM User carrying the same values. */
const person = (prefix: string, n: number) => ({
  externalId: `${prefix}-${n}`,
  name: `Provisioned Person ${n}`,
  email: `${prefix}.${n}@example.com`,
  timezone: 'Europe/Berlin',
});
const scimUser = (p: ReturnType<typeof person>) =>
  JSON.stringify({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
    userName: p.email,
    externalId: p.externalId,
    name: { givenName: 'Provisioned', familyName: `Person ${p.externalId}`, formatted: p.name },
    displayName: p.name,
    emails: [{ value: p.email, type: 'work', primary: true }],
    active: true,
    timezone: p.timezone,
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Engineering', employeeNumber: p.externalId },
  });

/** One keep-alive connection, one request at a time, as an identity provider's connector sends them. */
function client(appUrl: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const { hostname, port } = new URL(appUrl);
  return {
    send(method: string, path: string, token: string, body?: string): Promise<{ status: number; text: string }> {
      return new Promise((resolve, reject) => {
        const request = http.request(
          { agent, hostname, port, method, path, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}) } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
            response.on('error', reject);
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

type Client = ReturnType<typeof client>;

/** Provisions people [from, to) of one prefix in one mode; returns each request's latency and the failures. */
async function provision(mode: ProvisioningMode, http: Client, options: ProvisioningOptions, prefix: string, from: number, to: number) {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const timed = async (method: string, path: string, token: string, body: string | undefined, ok: (status: number, text: string) => boolean) => {
    const start = performance.now();
    const response = await http.send(method, path, token, body);
    latencies.push(performance.now() - start);
    if (!ok(response.status, response.text)) {
      errors++;
      firstError ??= `${method} ${path} → ${response.status} ${response.text.slice(0, 200)}`;
    }
  };
  if (mode === 'batch') {
    for (let n = from; n < to; n += BATCH) {
      const people = Array.from({ length: Math.min(BATCH, to - n) }, (_, k) => person(prefix, n + k));
      await timed('POST', '/v1/people/batch', options.adminToken, JSON.stringify({ people }), (status) => status === 200);
    }
  } else {
    for (let n = from; n < to; n++) {
      const p = person(prefix, n);
      if (mode === 'scim-lookup-create') {
        const filter = encodeURIComponent(`userName eq "${p.email}"`);
        await timed('GET', `/scim/v2/Users?filter=${filter}`, options.scimToken, undefined, (status, text) => status === 200 && text.includes('"totalResults":0'));
      }
      await timed('POST', '/scim/v2/Users', options.scimToken, scimUser(p), (status) => status === 201);
    }
  }
  return { latencies, errors, firstError };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** N people in each mode, interleaved in rounds of 1,000 (one batch request), each mode with its own fresh people. */
export async function measureScimProvisioning(options: ProvisioningOptions): Promise<ScimProvisioningResult> {
  const run = Date.now().toString(36);
  const http = client(options.appUrl);
  const rounds = Math.max(1, Math.ceil(options.people / BATCH));
  const state = Object.fromEntries(MODES.map((mode) => [mode, { latencies: [] as number[], errors: 0, seconds: 0, cpu: 0, perRound: [] as number[], people: 0, firstError: undefined as string | undefined }]));
  try {
    // Warm-up (JIT, pools, statement caches), not measured.
    for (const mode of MODES) await provision(mode, http, options, `warm-${run}-${mode}`, 0, WARM_UP);
    for (let round = 0; round < rounds; round++) {
      const from = round * BATCH;
      const to = Math.min(options.people, from + BATCH);
      // Rotate which mode goes first, so none always follows the same neighbour.
      for (const mode of [...MODES.slice(round % MODES.length), ...MODES.slice(0, round % MODES.length)]) {
        const s = state[mode]!;
        const cpuBefore = await options.appCpu();
        const start = performance.now();
        const done = await provision(mode, http, options, `${mode}-${run}`, from, to);
        const seconds = (performance.now() - start) / 1000;
        s.cpu += (await options.appCpu()) - cpuBefore;
        s.seconds += seconds;
        s.people += to - from;
        s.perRound.push((to - from) / seconds);
        s.latencies.push(...done.latencies);
        s.errors += done.errors;
        s.firstError ??= done.firstError;
      }
      options.log(`    round ${round + 1}/${rounds}: ${MODES.map((m) => `${m} ${state[m]!.perRound.at(-1)!.toFixed(0)}/s`).join(', ')}`);
    }
  } finally {
    http.close();
  }
  const modes = MODES.map((mode): ModeResult => {
    const s = state[mode]!;
    return {
      mode,
      people: s.people,
      requests: s.latencies.length,
      seconds: s.seconds,
      peoplePerSecond: s.people / s.seconds,
      roundMedian: median(s.perRound),
      roundMin: Math.min(...s.perRound),
      roundMax: Math.max(...s.perRound),
      ...percentiles(s.latencies),
      errors: s.errors,
    };
  });
  const failures = MODES.flatMap((mode) => (state[mode]!.firstError ? [`${mode}: ${state[mode]!.firstError}`] : []));
  return {
    people: options.people,
    rounds,
    modes,
    cpuPerPerson: Object.fromEntries(MODES.map((mode) => [mode, state[mode]!.cpu / 1000 / state[mode]!.people])),
    ...(failures.length ? { note: `first failures: ${failures.join('; ')}` } : {}),
  };
}
