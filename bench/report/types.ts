import type { FirstStartRound } from '../start/first-start.ts';
import type { BenchOptions } from '../args.ts';
import type { ExplainedStatement } from '../explain.ts';
import type { ScenarioResult } from '../run-scenario.ts';
import type { SeedReport } from '../seed.ts';
import type { ScimProvisioningResult } from '../scim/provisioning.ts';
import type { FanOutResult } from '../webhooks/fan-out.ts';
import type { MachineNotes } from './machine.ts';

export interface SizeReport {
  size: number;
  /** Absent when an already seeded database was reused. */
  seed?: SeedReport;
  scenarios: ScenarioResult[];
  fanOut?: FanOutResult;
  fanOutSkipped?: string;
  scimProvisioning?: ScimProvisioningResult;
  scimProvisioningSkipped?: string;
  /** EXPLAIN ANALYZE of each scenario's statements, by scenario name. */
  explain: Record<string, ExplainedStatement[]>;
}

export interface RunReport {
  options: BenchOptions;
  machine: MachineNotes;
  sizes: SizeReport[];
  /** A fresh clone's first `npm start`, after the sizes (absent when skipped). */
  firstStart?: { commit: string; rounds: FirstStartRound[]; loadBefore: number[] };
  seconds: number;
}
