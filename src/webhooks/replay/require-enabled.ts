import { conflict } from '../../domain/errors.ts';
import type { EndpointRow } from '../claim.ts';

/** Nothing is sent to a disabled endpoint: a manual send would only wait there, paused. */
export function requireEnabled(endpoint: EndpointRow): void {
  if (!endpoint.enabled) throw conflict(`The webhook endpoint ${endpoint.id} is disabled; enable it first.`, { disabledReason: endpoint.disabledReason });
}
