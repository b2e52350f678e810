// crictl for the containers nerdctl did not make: Kubernetes' (CRI) containers in k8s.io, whose
// logs live where the kubelet (or crictl) asked the CRI plugin to write them, not where
// `nerdctl logs` looks. crictl speaks to the same socket through the CRI API; it has no rootless
// mode of its own, so only the sudo rule of the nerdctl invocation applies.
import { rootfulProcess, type Caller, type DaemonFacts, type Invocation, type Mode } from './invocation';
import { containerRef, logFlags, type LogOptions } from './containerArgs';

/** A container the CRI plugin made (its labels say so), as opposed to one of nerdctl's or ctr's. */
export function isCriContainer(labels: Readonly<Record<string, string>>): boolean {
  const kind = labels['io.cri-containerd.kind'];
  return kind === 'container' || kind === 'sandbox';
}

/**
 * `hasConfig`: the user has a crictl config (/etc/crictl.yaml or CRI_CONFIG_FILE). Without one,
 * crictl warns on every run that the file does not exist: it gets an empty config instead, as
 * every setting it would hold is on the command line.
 */
export function crictlInvocation(command: readonly string[], daemon: DaemonFacts, caller: Caller, mode: Mode, hasConfig = true): Invocation {
  const [file, ...rest] = command;
  if (!file) return { ok: false, reason: 'The crictl command (setting containerd.crictl.command) is empty: set it to e.g. ["crictl"].' };
  const endpoint = `unix://${daemon.address}`;
  const config = hasConfig ? [] : ['--config=/dev/null'];
  return { ok: true, process: rootfulProcess(file, [...rest, ...config, `--runtime-endpoint=${endpoint}`, `--image-endpoint=${endpoint}`], daemon, caller, mode) };
}

export function crictlLogsArgs(id: string, options: LogOptions): string[] {
  return ['logs', ...logFlags(options), '--', containerRef(id)];
}
