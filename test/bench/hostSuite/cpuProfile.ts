// A V8 CPU profile of the extension host over one stretch (the second start's first load), taken
// through the inspector protocol in-process, so the bench can say which functions the time went to.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T)));
  });
}

/** Starts profiling; the returned function stops it and writes the profile to `file`. */
export async function startCpuProfile(file: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  // 200 µs: fine enough for a few-hundred-millisecond stretch.
  await post(session, 'Profiler.setSamplingInterval', { interval: 200 });
  await post(session, 'Profiler.start');
  return async () => {
    const { profile } = await post<{ profile: object }>(session, 'Profiler.stop');
    session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
  };
}
