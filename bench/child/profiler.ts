import { Session } from 'node:inspector/promises';
import { writeFile } from 'node:fs/promises';

/** CPU profiles of this process on demand, one per scenario, written as .cpuprofile (Chrome DevTools). */
export function profiler() {
  let session: Session | null = null;
  return {
    async start() {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 500 });
      await session.post('Profiler.start');
    },
    async stop(path: string) {
      if (!session) return;
      const { profile } = await session.post('Profiler.stop');
      await writeFile(path, JSON.stringify(profile));
      session.disconnect();
      session = null;
    },
  };
}
