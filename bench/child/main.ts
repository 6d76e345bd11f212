import type { AddressInfo } from 'node:net';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { statementRecorder } from './capture.ts';
import { memory, resetPeak } from './memory.ts';
import { profiler } from './profiler.ts';
import type { ChildSettings, Command, Envelope, Reply } from './protocol.ts';

// The server under load, in its own process so its memory is its own: started by bench/run.ts
// with fork(), answering the parent's commands over the IPC channel.

const settings = JSON.parse(process.env.BENCH_CHILD ?? '{}') as ChildSettings;
const send = (id: number, message: Reply) => process.send?.({ id, message } satisfies Envelope<Reply>);

// Imported on demand, so the framework ceiling's process holds fastify alone, not the app's modules.
async function start() {
  if (settings.mode === 'framework') {
    const { buildFrameworkCeiling } = await import('./framework.ts');
    return { app: await buildFrameworkCeiling(), database: null };
  }
  const [{ buildApp }, { loadConfig }, { openDatabase }] = await Promise.all([import('../../src/app.ts'), import('../../src/config.ts'), import('../../src/db/client.ts')]);
  // As src/server.ts does it, less the migration (the parent migrated) and with logging off.
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: settings.databaseUrl,
    JWT_SECRET: settings.jwtSecret,
    LOG_LEVEL: 'silent',
    WEBHOOKS_DISPATCH: String(settings.webhooks),
    // The scheduler runs in workers here (as `npm run worker` can in production): on a freshly
    // seeded database every quiet check and invitation expiry is due at once, and working through
    // them inside the measured process would be counted as the requests' CPU and the burst's time.
    JOBS_RUN: 'false',
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    // The bench measures throughput, not the limiter: its limits are raised out of reach (it still runs).
    RATE_LIMIT_PER_MINUTE: '1000000000',
    RATE_LIMIT_IP_PER_MINUTE: '1000000000',
  });
  const database = await openDatabase({ kind: 'postgres', url: settings.databaseUrl, maxConnections: settings.pool });
  return { app: await buildApp({ config, database, logger: false }), database: database as DatabaseHandle | null };
}

let server: Awaited<ReturnType<typeof start>>;
try {
  server = await start();
  await server.app.listen({ port: 0, host: '127.0.0.1' });
} catch (error) {
  send(0, { type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}
const { app, database } = server;
const recorder = database ? statementRecorder((database as DatabaseHandle).db) : null;
const cpu = profiler();
send(0, { type: 'ready', port: (app.server.address() as AddressInfo).port });

process.on('message', async ({ id, message }: Envelope<Command>) => {
  switch (message.type) {
    case 'memory':
      return send(id, { type: 'memory', ...memory() });
    case 'cpu':
      return send(id, { type: 'cpu', ...process.cpuUsage() });
    case 'reset-peak':
      return send(id, { type: 'reset-peak', ok: resetPeak() });
    case 'capture-start':
      recorder?.start();
      return send(id, { type: 'done' });
    case 'capture-stop':
      return send(id, { type: 'captured', statements: recorder?.stop() ?? [] });
    case 'profile-start':
      await cpu.start();
      return send(id, { type: 'done' });
    case 'profile-stop':
      await cpu.stop(message.path);
      return send(id, { type: 'done' });
    case 'answer-with': {
      const { answerWith } = await import('./framework.ts');
      answerWith(message.status, message.body);
      return send(id, { type: 'done' });
    }
    case 'deliver': {
      const { deliverAll } = await import('./deliver.ts');
      return send(id, { type: 'delivered', ...(await deliverAll(message)) });
    }
    case 'stop':
      await app.close();
      await database?.close();
      send(id, { type: 'done' });
      process.disconnect?.();
      return;
  }
});
// The parent went away: do not linger holding database connections.
process.on('disconnect', () => setTimeout(() => process.exit(0), 2000).unref());
