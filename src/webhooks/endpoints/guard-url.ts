import { invalid } from '../../domain/errors.ts';
import type { WebhookCtx } from '../context.ts';
import { checkWebhookUrl } from '../url-guard.ts';

/** The SSRF guard as a validation failure on `url`. */
export async function requireSafeUrl(ctx: WebhookCtx, url: string): Promise<string> {
  const verdict = await checkWebhookUrl(url, ctx.guard);
  if (!verdict.ok) throw invalid(`The webhook URL ${verdict.reason}.`, [{ path: 'url', message: verdict.reason }]);
  return verdict.url.toString();
}
