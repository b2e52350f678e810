// The e2e tier: a private containerd 2.x, the extension loaded in a real VS Code (code-server)
// driven by headless Chromium. First the extension's own mocha suite runs inside the extension
// host; then UI checks click the activity bar, read the rendered view and take screenshots.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, logText, openWorkbench, type WorkbenchPage } from '../harness/browser';
import { codeServerEntry, startCodeServer } from '../harness/codeServer';
import { loadComponents, MissingComponentError } from '../harness/components';
import { startBuildkitd } from '../harness/buildkitd';
import { startContainerd } from '../harness/containerdDaemon';
import { startDockerd } from '../harness/dockerd';
import { nerdctlFor } from '../harness/nerdctlEnv';
import { startRegistry } from '../harness/registry';
import { waitFor } from '../harness/waitFor';
import { composeChecks } from './composeChecks';
import { confirmChecks } from './confirmChecks';
import { checkDoctorAndWalkthrough, statusBarCheck } from './doctorChecks';
import { checkQuietBadge } from './quietBadgeCheck';
import { containerRowChecks } from './containerRowChecks';
import { containerToolChecks } from './containerToolChecks';
import { buildTaskChecks } from './buildTaskCheck';
import { checkMultiRoot } from './multiRootCheck';
import { builderChecks, checkBuildersWelcome } from './builderChecks';
import { endpointCopyCheck } from './endpointCopyCheck';
import { dockerNamesCheck } from './dockerNamesCheck';
import { disconnectedCheck, explorerViewsCheck } from './explorerChecks';
import { filesChecks } from './filesChecks';
import { screenshot, withExplorer, type PageCheck } from './explorerPage';
import { debugFacts, e2eNamespace, e2ePauseImage, message, prepareDaemonWorkspace, repo, type E2EResult, type Fixture } from './fixture';
import { imageRowChecks } from './imageRowChecks';
import { lifecycleChecks } from './lifecycleChecks';
import { namespaceChecks } from './namespaceChecks';
import { nerdctlChecks } from './nerdctlChecks';
import { registryChecks } from './registryChecks';
import { serveRequests } from './requestChannel';
import { checkRestrictedMode } from './restrictedModeCheck';
import { prepareRowFixtures, type RowFacts } from './rowFixtures';
import { checkSuiteGuards } from './suiteGuardCheck';
import { checkNamespacesView, checkSetAddress, withLogTail } from './uiChecks';

export type { E2EFailure, E2EResult } from './fixture';

const suiteIndex = join(repo, 'out', 'test', 'e2e', 'suite', 'index.js');
const suiteDeadlineMs = 8 * 60_000;

/** Runs the extension-host suite in page 1 and returns its own counts; serves its daemon requests meanwhile. */
async function runHostSuite(fx: Fixture, log: (line: string) => void): Promise<E2EResult> {
  const lines: string[] = [];
  let exitCode: number | undefined;
  const url = fx.codeServer.workbenchUrl([
    ['extensionDevelopmentPath', fx.codeServer.remoteUri(repo)],
    ['extensionTestsPath', fx.codeServer.remoteUri(suiteIndex)],
  ]);
  const tails = (): string => `--- suite output tail ---\n${lines.slice(-20).join('\n')}\n--- code-server log tail ---\n${fx.codeServer.logTail()}`;
  let workbench: WorkbenchPage | undefined;
  try {
    workbench = await openWorkbench(fx.browser, url, {
      onLog: (_type, args) => {
        const text = logText(args);
        lines.push(text);
        log(`  [extension host] ${text}`);
      },
      onExit: (code) => { exitCode = code; },
    });
    const handlers = { crashDaemon: () => fx.daemon.crash(), restartDaemon: () => fx.daemon.restart() };
    await waitFor('the extension-host suite to finish (codeAutomationExit)', async () => {
      await serveRequests(fx.facts.requestsDir, handlers, log);
      return exitCode !== undefined;
    }, suiteDeadlineMs, 250);
  } catch (error) {
    throw new Error(`${message(error)}\n${tails()}`);
  } finally {
    await workbench?.close();
    // A suite that crashed the daemon and died before asking for a restart must not starve the UI checks.
    await fx.daemon.ctr(['version']).catch(() => fx.daemon.restart());
  }
  const summaryLine = lines.flatMap((l) => l.split('\n')).reverse().find((l) => l.startsWith('E2E_SUMMARY '));
  if (!summaryLine) {
    throw new Error(`the suite exited with ${exitCode} without an E2E_SUMMARY line\n${tails()}`);
  }
  const summary = JSON.parse(summaryLine.slice('E2E_SUMMARY '.length)) as E2EResult;
  if (summary.failed === 0 && exitCode !== 0) {
    summary.failed = 1;
    summary.failures.push({ title: 'extension-host suite exit code', error: `all tests passed but the workbench reported exit code ${exitCode}` });
  }
  return summary;
}

type Check = (title: string, body: () => Promise<void>) => Promise<void>;

/**
 * VSCC_E2E_ONLY (a regular expression over check titles) runs only the UI checks it matches, for
 * working on one check; every other check, and the extension-host suite, counts as failed with
 * "not run", so a filtered run never passes.
 */
function onlyFilter(): RegExp | undefined {
  const only = process.env.VSCC_E2E_ONLY;
  return only ? new RegExp(only, 'i') : undefined;
}

/** Checks that share one explorer page, each counted; a page that fails to open or close fails the rest. */
async function runInOnePage(fx: Fixture, all: readonly PageCheck[], check: Check, fail: (title: string, error: unknown) => void): Promise<void> {
  const only = onlyFilter();
  const checks = all.filter((c) => only?.test(c.title) ?? true);
  for (const c of all) if (!checks.includes(c)) fail(c.title, new Error('not run: VSCC_E2E_ONLY leaves it out'));
  let ran = 0;
  try {
    await withExplorer(fx, async (page) => {
      for (const c of checks) {
        ran++;
        await check(c.title, () => withLogTail(fx.codeServer, () => c.run(page).catch(async (error: unknown) => {
          // What the page showed when the check gave up.
          await screenshot(page, `failed-${c.title.replace(/\W+/g, '-').slice(0, 60)}.png`).catch(() => undefined);
          throw error;
        })));
      }
    });
  } catch (error) {
    for (const c of checks.slice(ran)) fail(c.title, error);
    if (ran === checks.length) fail('closing the explorer page', error);
  }
}

/** The checks in the rendered workbench, after the extension-host suite. */
async function runUiChecks(fx: Fixture, check: Check, fail: (title: string, error: unknown) => void): Promise<void> {
  // Made after the suite, which asserts the namespaces as the runner made them; a failure here
  // fails every check that needs the rows.
  const prepared = await prepareRowFixtures(fx).then((rows) => ({ rows }), (error: unknown) => ({ error }));
  const rows = (): Promise<RowFacts> => ('rows' in prepared ? Promise.resolve(prepared.rows)
    : Promise.reject(new Error(`preparing the rows with ctr failed: ${message(prepared.error)}`)));
  const only = onlyFilter();
  const alone: Check = (title, body) => (only && !only.test(title) ? Promise.resolve(fail(title, new Error('not run: VSCC_E2E_ONLY leaves it out'))) : check(title, body));
  await alone('UI: the Namespaces view lists exactly the daemon\'s namespaces', () => withLogTail(fx.codeServer, () => checkNamespacesView(fx)));
  // One page for all of them (opening a workbench costs ~20 s); each check picks its namespace.
  // The daemon crash comes last: the checks after it must find the daemon back on its socket.
  await runInOnePage(fx, [
    explorerViewsCheck(fx), ...namespaceChecks(fx, rows), ...imageRowChecks(fx, rows), ...containerRowChecks(fx, rows), ...confirmChecks(fx, rows), ...nerdctlChecks(fx), ...lifecycleChecks(fx), endpointCopyCheck(fx), dockerNamesCheck(fx), ...containerToolChecks(fx, rows), ...registryChecks(fx), ...composeChecks(fx), ...buildTaskChecks(fx), ...builderChecks(fx), ...filesChecks(fx), statusBarCheck(fx),
    disconnectedCheck(fx),
  ], check, fail);
  await alone('UI: an unreachable address gets the welcome view, and Set Address… rejects a bad path then connects', () => withLogTail(fx.codeServer, () => checkSetAddress(fx)));
  await alone('UI: a missing socket shows "not reachable" in the status bar; Run Doctor in its welcome view opens the report naming the failing check with its fix; the walkthrough opens with its steps', () => withLogTail(fx.codeServer, () => checkDoctorAndWalkthrough(fx)));
  await alone('UI: only the guessed default absent beside a configured daemon that answers: no activity-bar badge and a quiet row; a chosen missing socket gets the badge', () => withLogTail(fx.codeServer, () => checkQuietBadge(fx)));
  await alone('UI: in a multi-root workspace each folder\'s buildkit task builds its own Dockerfile, and each failure lands on its folder\'s file in Problems', () => checkMultiRoot(fx));
  await alone('UI: a Builders view with no buildkitd at containerd.buildkit.host welcomes with where it looked and the setting, and shows the builder once the setting names it', () => withLogTail(fx.codeServer, () => checkBuildersWelcome(fx)));
  await alone('UI: Restricted Mode ignores the workspace\'s containerd.address and uses the user\'s (environment, then user setting); its buildkit task and buildkitd launch configuration wait for trust, and Cancel builds and debugs nothing', () => checkRestrictedMode(fx));
}

export async function runE2E(log: (line: string) => void): Promise<E2EResult> {
  const result: E2EResult = { passed: 0, failed: 0, failures: [] };
  const fail = (title: string, error: unknown): void => {
    result.failed++;
    result.failures.push({ title, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    log(`✗ ${title} — ${message(error).split('\n')[0] ?? ''}`);
  };
  const check: Check = async (title, body) => {
    try {
      const started = Date.now();
      await body();
      result.passed++;
      log(`✓ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      fail(title, error);
    }
  };
  await check('the extension-host suite runner fails on .only and on pending tests', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'vscc-guard-'));
    try {
      await checkSuiteGuards(scratch);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
  let components: ReturnType<typeof loadComponents>;
  try {
    components = loadComponents();
    codeServerEntry();
  } catch (error) {
    // A missing component fails the tier loudly, naming what is missing; it never skips.
    fail('e2e components', error instanceof MissingComponentError ? error.message : error);
    return result;
  }
  const cleanups: (() => Promise<unknown>)[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'vscc-e2e-'));
  cleanups.push(() => Promise.resolve(rmSync(scratch, { recursive: true, force: true })));
  try {
    const started = Date.now();
    // With the CRI plugin on, as on a Kubernetes node: the pod in k8s.io is made through it.
    const daemon = await startContainerd('2.x', { pauseImage: e2ePauseImage, cniBin: components.cniBin });
    cleanups.push(() => daemon.stop());
    const otherDaemon = await startContainerd('1.7');
    cleanups.push(() => otherDaemon.stop());
    // Build tasks build here, with the containerd worker storing into the namespace the explorer
    // shows; built -N -l, it is also what the debugger checks attach to (the Builders view's buildkitd).
    const buildkitd = await startBuildkitd(daemon, { namespace: e2eNamespace, binary: components.tools.buildkitdDebug });
    cleanups.push(() => buildkitd.stop());
    const { folder, factsFile, facts } = await prepareDaemonWorkspace(daemon, components, scratch, debugFacts(buildkitd, components));
    // nerdctl with a private data root, as the user's own settings would name it.
    const nerdctl = nerdctlFor(daemon, components);
    const registry = await startRegistry(components, join(scratch, 'registry'));
    cleanups.push(() => registry.stop());
    // Docker's builder for buildx tasks, on a containerd the explorer is not shown (until the Docker
    // names check adds it as an endpoint, to see Docker's containers in its namespace moby).
    const dockerDaemon = await startContainerd('2.x');
    cleanups.push(() => dockerDaemon.stop());
    const dockerd = await startDockerd(dockerDaemon, { dockerConfig: nerdctl.dockerConfig });
    cleanups.push(() => dockerd.stop());
    const codeServer = await startCodeServer({
      trust: false,
      folder,
      env: { VSCODE_CONTAINERD_E2E: factsFile, NERDCTL_TOML: nerdctl.env.NERDCTL_TOML ?? '', DOCKER_CONFIG: nerdctl.dockerConfig, DOCKER_HOST: dockerd.host },
      userSettings: { 'containerd.nerdctl.command': [nerdctl.bin], 'containerd.crictl.command': [components.tools.crictl],
        'containerd.buildctl.command': [components.tools.buildctl], 'containerd.buildkit.host': buildkitd.address,
        'containerd.docker.command': [components.docker.docker], 'containerd.debug.dlvPath': components.tools.dlv, 'terminal.integrated.gpuAcceleration': 'off' },
    });
    cleanups.push(() => codeServer.stop());
    const browser = await launchBrowser();
    cleanups.push(() => browser.close());
    log(`e2e: containerd 2.x at ${daemon.socket}, code-server at ${codeServer.url}, ready in ${Date.now() - started} ms`);
    const fx: Fixture = { daemon, otherDaemon, folder, factsFile, facts, browser, codeServer, scratch, nerdctl, registry, buildkitd, dockerd, dockerDaemon };

    try {
      if (onlyFilter()) throw new Error('not run: VSCC_E2E_ONLY leaves it out');
      const suite = await runHostSuite(fx, log);
      result.passed += suite.passed;
      result.failed += suite.failed;
      result.failures.push(...suite.failures.map((f) => ({ title: `[extension host] ${f.title}`, error: f.error })));
    } catch (error) {
      fail('extension-host suite', error);
    }
    await runUiChecks(fx, check, fail);
  } catch (error) {
    fail('e2e setup', error);
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => log(`e2e cleanup failed: ${message(error)}`));
    }
  }
  return result;
}
