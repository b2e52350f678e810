// The platforms a workspace's build tasks (tasks.json, type "buildkit") build for: what the
// binfmt check must be able to run. Anything that is not a list of strings is ignored here (the
// task itself reports it when run).

export function taskPlatforms(tasks: unknown): string[] {
  if (!Array.isArray(tasks)) return [];
  const found = new Set<string>();
  for (const task of tasks as unknown[]) {
    if (typeof task !== 'object' || task === null) continue;
    const { type, platforms } = task as { type?: unknown; platforms?: unknown };
    if (type !== 'buildkit' || !Array.isArray(platforms)) continue;
    for (const platform of platforms as unknown[]) if (typeof platform === 'string' && platform.trim()) found.add(platform.trim());
  }
  return [...found].sort();
}
