// The message a synchronous call throws ("no error" when it returns): error texts compared whole.
export function failure(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return 'no error';
}
