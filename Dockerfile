# syntax=docker/dockerfile:1
# Build: the TypeScript sources bundled to dist/ by esbuild (npm run build).
FROM node:26-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: "prepare" would build before the sources are copied (and make a PGlite
# template the image does not use); no dependency needs its install script.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# Production dependencies only: no tsx, esbuild or TypeScript in the image.
FROM node:26-trixie-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:26-trixie-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# dist/ reads schema.graphql and drizzle/ from the folder of package.json above it (src/root.ts).
COPY package.json schema.graphql ./
COPY drizzle ./drizzle
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Plain node on the built bundle. An explicit heap limit makes V8 collect sooner: peak RSS under load
# ~145 MB instead of ~250 MB (bench/FINDINGS.md); raise it for very large bulk syncs.
# The webhook worker alone: `node --enable-source-maps --max-old-space-size=384 dist/worker.mjs`.
CMD ["node", "--enable-source-maps", "--max-old-space-size=384", "dist/server.mjs"]
