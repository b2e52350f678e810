// BuildKit's error text in the words a Dockerfile author uses: what failed and what to do, without
// the solver's wrapping ("failed to solve: failed to compute cache key: failed to calculate
// checksum of ref <id>::<id>: ...").

/** The wrapping every backend puts around the cause. */
function unwrapped(message: string): string {
  let text = message.trim();
  for (;;) {
    const next = text.replace(/^(?:failed to build|failed to solve|failed to compute cache key|failed to calculate checksum of ref [^:\s]+::[^:\s]+|executor failed running \[[^\]]*\]): /, '');
    if (next === text) return text;
    text = next;
  }
}

/** The command of `process "/bin/sh -c ..."`, as the user wrote it in RUN. */
function commandOf(quoted: string): string {
  const command = quoted.replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  return command.startsWith('/bin/sh -c ') ? command.slice('/bin/sh -c '.length) : command;
}

export function errorInUsersWords(message: string): string {
  const cause = unwrapped(message);
  const exit = /^process "((?:[^"\\]|\\.)*)" did not complete successfully: exit code: (\d+)$/.exec(cause);
  if (exit?.[1] !== undefined && exit[2]) return `The command \`${commandOf(exit[1])}\` exited with code ${exit[2]}.`;
  const missing = /^"([^"]+)": not found$/.exec(cause);
  if (missing?.[1]) {
    return `${missing[1].replace(/^\//, '')} is not in the build context: COPY and ADD read from the context folder (check the path, and .dockerignore).`;
  }
  const bridge = /^process "((?:[^"\\]|\\.)*)" did not complete successfully: network bridge not found$/.exec(cause);
  if (bridge?.[1] !== undefined) {
    return `The command \`${commandOf(bridge[1])}\` did not start: the Docker daemon has no bridge network (it runs with --bridge=none). Give the task "network": "none" (or "host").`;
  }
  if (cause === 'docker exporter does not currently support exporting manifest lists') {
    return 'Docker\'s classic image store keeps one platform per image, so it cannot load a multi-platform build: build one platform, push it ("push": true with "tags"), give an "output", or turn on the containerd image store ("features": {"containerd-snapshotter": true} in daemon.json).';
  }
  if (/^granting entitlement network\.host is not allowed by build daemon configuration$/.test(cause)) {
    return 'This buildkitd does not grant RUN steps the host\'s network: start it with --allow-insecure-entitlement network.host (or insecure-entitlements in buildkitd.toml), or drop "network": "host" from the task.';
  }
  const parse = /^dockerfile parse error on line \d+: (.*)$/.exec(cause);
  if (parse?.[1]) return `${parse[1].charAt(0).toUpperCase()}${parse[1].slice(1)}.`.replace(/\.\.$/, '.');
  return cause;
}
