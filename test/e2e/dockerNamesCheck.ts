// Docker's containers by name on the real page: Docker's own containerd, added through
// containerd.additionalAddresses, shows in its namespace moby the containers containerd keeps there
// (ctr is the oracle of which) named and stated as `docker ps` says (the page's extension host finds
// Docker through DOCKER_HOST, no setting). A containerd.docker.host at a path with no socket takes
// effect at once: the Containers view says Docker cannot be asked and falls back to the 64-hex ids;
// the setting removed, the names come back. Settings, containers and the image go back after.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { loadComponents } from '../harness/components';
import { importBusybox } from '../harness/sampleImage';
import { waitFor } from '../harness/waitFor';
import { chooseEndpointNamespace, screenshot, settle, type PageCheck } from './explorerPage';
import type { Fixture } from './fixture';
import { hoverText, revealRow, treeRow } from './workbenchUi';

const moby = 'moby';
const image = 'docker.io/library/busybox:vscc-docker-names';

interface DockerPs { readonly id: string; readonly name: string; readonly state: string; readonly status: string }

async function dockerOk(fx: Fixture, args: readonly string[]): Promise<string> {
  const result = await fx.dockerd.docker(args);
  if (result.exitCode !== 0) throw new Error(`docker ${args.join(' ')} failed (${result.exitCode ?? 'no exit code'}): ${result.stderr.trim()}`);
  return result.stdout;
}

async function dockerPs(fx: Fixture): Promise<DockerPs[]> {
  const out = await dockerOk(fx, ['ps', '--all', '--no-trunc', '--format', '{{.ID}}\t{{.Names}}\t{{.State}}\t{{.Status}}']);
  return out.split('\n').filter(Boolean).map((line) => {
    const [id = '', name = '', state = '', status = ''] = line.split('\t');
    return { id, name, state, status };
  });
}

/** The ids containerd itself keeps in moby: Docker makes a containerd container only when it starts one. */
async function ctrIds(fx: Fixture): Promise<string[]> {
  return (await fx.dockerDaemon.ctr(['--namespace', moby, 'containers', 'list', '--quiet'])).split('\n').map((l) => l.trim()).filter(Boolean).sort();
}

/** "Up 3 seconds (Paused)" and "Up 2 minutes (Paused)" are the same words read at other times. */
function statusShape(status: string): string {
  return status.replace(/^Up .*?( \(Paused\))?$/, 'Up …$1');
}

function writeSettings(file: string, saved: string, extra: Record<string, unknown>): void {
  writeFileSync(file, JSON.stringify({ ...JSON.parse(saved) as object, ...extra }, null, 2));
}

async function dockerNames(page: Page, fx: Fixture): Promise<void> {
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const names = { running: `vscc-running-${suffix}`, paused: `vscc-paused-${suffix}`, created: `vscc-created-${suffix}` };
  const settingsFile = join(fx.folder, '.vscode', 'settings.json');
  const saved = readFileSync(settingsFile, 'utf8');
  const endpoint = fx.dockerDaemon.socket;
  const ids: string[] = [];
  let cleanup = '';
  await importBusybox(fx.dockerDaemon, loadComponents().busybox, image, moby);
  try {
    // Three of Docker's states: running and paused have a containerd container and task, created has
    // neither (Docker makes them on start), so it must not show in a view of containerd's records.
    ids.push((await dockerOk(fx, ['run', '--detach', '--network', 'none', '--name', names.running, image, 'sleep', '600'])).trim());
    ids.push((await dockerOk(fx, ['run', '--detach', '--network', 'none', '--name', names.paused, image, 'sleep', '600'])).trim());
    await dockerOk(fx, ['pause', names.paused]);
    ids.push((await dockerOk(fx, ['create', '--network', 'none', '--name', names.created, image, 'sleep', '600'])).trim());
    const ps = (await dockerPs(fx)).filter((c) => ids.includes(c.id));
    const inContainerd = await ctrIds(fx);
    const shown = ps.filter((c) => inContainerd.includes(c.id));
    // The check proves something only if both kinds are there: named rows and a container Docker alone knows.
    if (shown.map((c) => c.state).sort().join(',') !== 'paused,running') throw new Error(`docker ps and ctr do not give a running and a paused container in containerd: docker ${JSON.stringify(ps)}, ctr ${inContainerd.join(', ')}`);
    const onlyDocker = ps.filter((c) => !inContainerd.includes(c.id));

    writeSettings(settingsFile, saved, { 'containerd.additionalAddresses': [endpoint] });
    await waitFor(`the Namespaces view to list ${endpoint}`, async () => {
      await revealRow(page, 'Namespaces', endpoint);
      return (await treeRow(page, 'Namespaces', endpoint).count()) > 0;
    }, 90_000, 500);
    await chooseEndpointNamespace(page, endpoint, moby);

    // Docker's names, each with Docker's state word first in its description, and nothing else:
    // not the created container (containerd has no record of it), not a bare id.
    const wanted = inContainerd.map((id) => shown.find((c) => c.id === id)?.name ?? id).sort();
    const named = await settle(page, 'Containers', `Docker's names [${wanted.join(', ')}] with Docker's states`, (s) => !s.message
      && [...s.rows].sort().join(',') === wanted.join(',')
      && shown.every((c) => s.descriptions[s.rows.indexOf(c.name)]?.split(' · ')[0]?.toLowerCase() === c.state));
    for (const c of onlyDocker) {
      if (named.rows.includes(c.name) || named.rows.includes(c.id)) throw new Error(`the Containers view shows ${c.name}, which Docker ${c.state} and containerd has no record of`);
    }
    // Docker's own words on hover: `docker: paused (Up 5 seconds (Paused))`, as docker ps words them.
    for (const c of shown) {
      const hover = await hoverText(page, treeRow(page, 'Containers', c.name), `docker: ${c.state} (`);
      const words = /docker: (\S+) \((.*)\)\s*$/m.exec(hover);
      if (words?.[1] !== c.state || statusShape(words[2] ?? '') !== statusShape(c.status)) throw new Error(`the hover of ${c.name} says ${JSON.stringify(words?.[0])}; docker ps says ${c.state} (${c.status})`);
      if (!hover.includes(c.id)) throw new Error(`the hover of ${c.name} does not give its id ${c.id}: ${hover}`);
    }
    // The last hover fades out slowly: gone before the picture.
    await page.mouse.move(1200, 780);
    await page.locator('.workbench-hover').first().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
    await screenshot(page, 'docker-names.png');

    // A Docker socket that is not there, from the setting: the view re-reads at once (no event
    // comes from sleeping containers to do it), says why, and names the rows by their ids.
    const missing = join(fx.scratch, 'no-docker-here.sock');
    writeSettings(settingsFile, saved, { 'containerd.additionalAddresses': [endpoint], 'containerd.docker.host': missing });
    const notice = `Docker's container names are not shown: no Docker Engine socket at ${missing}. Set containerd.docker.host to Docker's socket.`;
    await settle(page, 'Containers', `the ids [${inContainerd.join(', ')}] and "${notice}"`, (s) => s.message === notice
      && [...s.rows].sort().join(',') === inContainerd.join(','), 20_000);
    await screenshot(page, 'docker-names-unreachable.png');

    writeSettings(settingsFile, saved, { 'containerd.additionalAddresses': [endpoint] });
    await settle(page, 'Containers', `Docker's names [${wanted.join(', ')}] again, with no message`, (s) => !s.message
      && [...s.rows].sort().join(',') === wanted.join(','), 20_000);
    // Back to the explorer's own daemon before its endpoint goes: later checks start there.
    await chooseEndpointNamespace(page, fx.daemon.socket, fx.facts.namespace);
  } finally {
    writeFileSync(settingsFile, saved);
    const gone = ids.length > 0 ? await fx.dockerd.docker(['rm', '--force', ...ids]) : undefined;
    const imageGone = await fx.dockerd.docker(['image', 'rm', image]);
    const settled = await settle(page, 'Namespaces', 'one daemon again (its namespaces at the top)', (s) => !s.rows.includes(endpoint) && s.rows.includes(fx.facts.namespace))
      .then(() => undefined, (error: unknown) => (error as Error).message);
    // Said after the finally: a failed check's own error says more than what its clean-up then met.
    cleanup = [settled,
      gone && gone.exitCode !== 0 ? `docker rm --force ${ids.join(' ')} failed: ${gone.stderr}` : undefined,
      imageGone.exitCode !== 0 ? `docker image rm ${image} failed: ${imageGone.stderr}` : undefined].filter(Boolean).join('; ');
  }
  if (cleanup) throw new Error(`cleaning up: ${cleanup}`);
}

export function dockerNamesCheck(fx: Fixture): PageCheck {
  return {
    title: 'UI: Docker\'s containerd added in containerd.additionalAddresses: its namespace moby shows Docker\'s names and states as docker ps says them (containerd\'s records, ctr); containerd.docker.host at a missing socket says so at once and shows the ids, and the names come back',
    run: (page) => dockerNames(page, fx),
  };
}
