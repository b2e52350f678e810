// A node:test reporter that only counts: the runner (test/run.ts) adds the counts of every tier
// into the one closing line. Suites are not tests; a skip or a todo counts as a failure here,
// because a silently skipped test is a defect in this project.
export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { details, name, file } = event.data;
    if (details?.type === 'suite' && event.type === 'test:pass') continue;
    // A suite fails when a test in it fails; that failure is already counted.
    if (details?.error?.failureType === 'subtestsFailed') continue;
    if (event.data.skip !== undefined || event.data.todo !== undefined) {
      counts.skipped += 1;
      counts.failures.push({ title: name, error: 'skipped', file });
    } else if (event.type === 'test:pass') {
      counts.passed += 1;
    } else {
      // A failing suite (a hook or a file that throws) counts once, with its cause.
      counts.failed += 1;
      const error = details?.error;
      counts.failures.push({ title: name, error: String(error?.cause?.message ?? error?.message ?? error), file });
    }
  }
  yield `${JSON.stringify(counts)}\n`;
}
