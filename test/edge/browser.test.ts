import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';

// GraphiQL and the API reference in a real headless browser (Debian's chromium; .ci/run installs it).
const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((path) => existsSync(path));
if (!CHROMIUM && process.env.REQUIRE_BROWSER) throw new Error('REQUIRE_BROWSER is set but no chromium was found (apt-get install chromium, or set CHROMIUM_PATH)');

t.test('GraphiQL and /docs work offline in a browser, with no console errors', { skip: CHROMIUM ? false : 'no chromium installed (apt-get install chromium)' }, async (t) => {
  const { app, auth } = await buildTestApp(t);
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const org = uniqueOrg('browser');
  const { authorization } = auth({ org });

  const browser: Browser = await puppeteer.launch({
    executablePath: CHROMIUM!,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check'],
  });
  t.teardown(() => browser.close());

  /** A page that may reach this server only, and records every console error, page error and failed or refused request. */
  async function openPage(): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warn') problems.push(`console.${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith(base) || url.startsWith('data:')) return void request.continue();
      problems.push(`left the server: ${url}`);
      void request.abort();
    });
    return { page, problems };
  }

  await t.test('GraphiQL: the editor renders and a typed query returns data', async (t) => {
    const { page, problems } = await openPage();
    // The token, as a user would have pasted it into the headers editor (GraphiQL keeps it in localStorage).
    // (Page code as text: the tests compile without the DOM's types.)
    await page.evaluateOnNewDocument(`localStorage.setItem('graphiql:headers', ${JSON.stringify(JSON.stringify({ authorization }))})`);
    const response = await page.goto(`${base}/graphiql`, { waitUntil: 'networkidle0' });
    t.equal(response?.status(), 200);
    const csp = response?.headers()['content-security-policy'] ?? '';
    t.match(csp, /script-src 'sha384-[^']+' 'sha384-[^']+' 'sha384-[^']+' 'sha384-[^']+'(;|$)/, 'script-src names exactly the four scripts');
    t.notMatch(csp, /unsafe-eval|https?:/, 'no eval, no other origin');

    await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 20_000 });
    await page.click('.graphiql-query-editor .CodeMirror');
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyA');
    await page.keyboard.up('Control');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('{ viewer { org roles } }');
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(`document.querySelector('.graphiql-response')?.textContent?.includes(${JSON.stringify(org)})`, { timeout: 20_000 });
    const result = await page.$eval('.graphiql-response', (element) => element.textContent ?? '');
    t.match(result, /"viewer"/);
    t.match(result, /"admin"/);
    t.same(problems, [], 'no console errors, no failed requests, nothing fetched from elsewhere');
    await page.close();
  });

  await t.test('Swagger UI at /docs lists the operations', async (t) => {
    const { page, problems } = await openPage();
    const response = await page.goto(`${base}/docs`, { waitUntil: 'networkidle0' });
    t.equal(response?.status(), 200);
    t.match(response?.headers()['content-security-policy'], /script-src 'self';/, 'no inline script allowed');
    await page.waitForSelector('.opblock', { timeout: 20_000 });
    const operations = await page.$$eval('.opblock-summary-path', (elements) => elements.map((element) => element.textContent?.trim() ?? ''));
    t.ok(operations.length >= 20, `${operations.length} operations listed`);
    t.ok(operations.some((path) => path.includes('/v1/programmes')), 'GET /v1/programmes among them');
    t.same(problems, [], 'no console errors, no failed requests, nothing fetched from elsewhere');
    await page.close();
  });
});

t.test('/graphiql names only its own assets, each with the hash its CSP allows; none in production', async (t) => {
  const { app } = await buildTestApp(t);
  const page = await app.inject({ method: 'GET', url: '/graphiql' });
  t.equal(page.statusCode, 200);
  const csp = String(page.headers['content-security-policy']);
  const references = [...page.body.matchAll(/<(script|link)[^>]*(?:src|href)="([^"]+)"(?: integrity="([^"]+)")?/g)].map(([, tag, url, integrity]) => ({ tag, url: url!, integrity }));
  const assets = references.filter(({ url }) => !url.startsWith('data:'));
  t.equal(assets.filter(({ tag }) => tag === 'script').length, 4, 'React, ReactDOM, GraphiQL, and the page script');
  for (const { tag, url, integrity } of assets) {
    t.match(url, /^\/graphiql\/assets\//, `${url} is served here`);
    const asset = await app.inject({ method: 'GET', url });
    t.equal(asset.statusCode, 200, url);
    const hash = `sha384-${createHash('sha384').update(asset.rawPayload).digest('base64')}`;
    t.equal(integrity, hash, `${url}: integrity matches what is served`);
    if (tag === 'script') t.ok(csp.includes(`'${hash}'`), `${url}: allowed by the CSP`);
  }
  const scriptSources = /script-src ([^;]+)/.exec(csp)?.[1]?.split(' ') ?? [];
  t.equal(scriptSources.length, 4, 'script-src names nothing else');
  t.notMatch(page.body, /https?:\/\//, 'no other origin named');
  const production = await buildTestApp(t, { config: { env: 'production' } });
  t.equal((await production.app.inject({ method: 'GET', url: '/graphiql' })).statusCode, 404, 'not served in production');
});
