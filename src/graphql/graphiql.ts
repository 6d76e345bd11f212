import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

// GraphiQL served by this service from installed packages (graphiql's UMD build on React 18), so it
// works offline and under a Content-Security-Policy that names exactly its scripts: each <script>
// carries Subresource Integrity, and script-src lists those same hashes and nothing else.

const require = createRequire(import.meta.url);
/** A file of an installed package, by its path inside the package (UMD builds are not in "exports"). */
const fromPackage = (name: string, path: string) => readFileSync(join(dirname(require.resolve(`${name}/package.json`)), path));

// The page's own code: an asset too, so nothing inline needs 'unsafe-inline'.
const INIT = `'use strict';
const headers = JSON.stringify({ authorization: 'Bearer <the token printed by npm start>' }, null, 2);
const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', location.href).href });
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultHeaders: headers,
    shouldPersistHeaders: true,
    defaultEditorToolsVisibility: 'headers',
    defaultQuery: '# Paste your token into the headers below, then run:\\n{\\n  viewer { sub org roles }\\n}\\n',
  }),
);
`;
const PAGE_CSS = 'html, body, #graphiql { height: 100%; margin: 0; }\n';

interface Asset {
  name: string;
  type: string;
  body: Buffer;
  /** The SRI and CSP hash: sha384-<base64>. */
  integrity: string;
}

function asset(name: string, type: string, body: Buffer): Asset {
  return { name, type, body, integrity: `sha384-${createHash('sha384').update(body).digest('base64')}` };
}

/** The assets in the order the page loads them. */
function loadAssets(): { scripts: Asset[]; styles: Asset[] } {
  const js = 'text/javascript; charset=utf-8';
  const css = 'text/css; charset=utf-8';
  return {
    scripts: [
      asset('react.production.min.js', js, fromPackage('react', 'umd/react.production.min.js')),
      asset('react-dom.production.min.js', js, fromPackage('react-dom', 'umd/react-dom.production.min.js')),
      asset('graphiql.min.js', js, fromPackage('graphiql', 'graphiql.min.js')),
      asset('tandem-graphiql.js', js, Buffer.from(INIT)),
    ],
    styles: [asset('graphiql.min.css', css, fromPackage('graphiql', 'graphiql.min.css')), asset('tandem-graphiql.css', css, Buffer.from(PAGE_CSS))],
  };
}

export const GRAPHIQL_PATH = '/graphiql';
const ASSETS = `${GRAPHIQL_PATH}/assets`;

/** The page, its assets, and the CSP that allows exactly them. */
export function graphiqlPage() {
  const { scripts, styles } = loadAssets();
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tandem GraphiQL</title>
<link rel="icon" href="data:,">
${styles.map((s) => `<link rel="stylesheet" href="${ASSETS}/${s.name}" integrity="${s.integrity}">`).join('\n')}
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
${scripts.map((s) => `<script src="${ASSETS}/${s.name}" integrity="${s.integrity}"></script>`).join('\n')}
</body>
</html>
`;
  const csp = [
    "default-src 'none'",
    `script-src ${scripts.map((s) => `'${s.integrity}'`).join(' ')}`,
    // GraphiQL's editors and menus set inline styles on their elements from script.
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, csp, assets: [...scripts, ...styles] };
}

/** GET /graphiql and its assets (registered outside production only). */
export async function graphiqlRoutes(app: FastifyInstance) {
  const page = graphiqlPage();
  app.get(GRAPHIQL_PATH, { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', page.csp).header('cache-control', 'no-cache').send(page.html),
  );
  for (const { name, type, body } of page.assets) {
    app.get(`${ASSETS}/${name}`, { schema: { hide: true } }, async (_request, reply) =>
      reply.type(type).header('cache-control', 'public, max-age=3600').send(body),
    );
  }
}
