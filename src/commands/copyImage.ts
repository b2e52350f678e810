// Copy an image to another namespace or endpoint, no registry involved (nerdctl/copyRun.ts):
// the destination picked here, the save and load shown in a terminal with their progress, then
// an offer to show the destination in the explorer.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { getImage } from '../containerd/images/images';
import { formatBytes, shortDigest } from '../model/format';
import { copyDecision, copyDestinations, criManagedLabel, type DestinationChoice, type ImageAt, type Place } from '../nerdctl/copyImage';
import { runImageCopy, labelForCri } from '../nerdctl/copyRun';
import { namespaceName } from '../nerdctl/validate';
import { nerdctlProcess } from './nerdctlTarget';

async function pickDestination(ctx: Ctx, source: ImageAt): Promise<Place | undefined> {
  const endpoints = (ctx.endpoints.latest ?? []).flatMap((s) => (s.reachable ? [{ address: s.endpoint.address, namespaces: s.namespaces.map((n) => n.name) }] : []));
  type Item = vscode.QuickPickItem & { place?: DestinationChoice; address?: string };
  const items: Item[] = [
    ...copyDestinations(source, endpoints).map((place) => ({ label: place.namespace, description: place.address, ...(place.created ? { detail: 'created by the copy' } : {}), place })),
    ...endpoints.map((e) => ({ label: 'Another namespace…', description: e.address, address: e.address })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `Copy ${source.name} (all platforms) to…`, matchOnDescription: true });
  if (!picked) return undefined;
  if (picked.place) return picked.place;
  const address = picked.address ?? source.address;
  const namespace = await vscode.window.showInputBox({
    title: `Copy ${source.name} to a namespace of containerd at ${address}`,
    prompt: 'The namespace (created if it does not exist), e.g. k8s.io',
    validateInput: (value) => namespaceName(value) ?? (address === source.address && value === source.namespace ? 'The image is already there' : undefined),
  });
  return namespace ? { address, namespace } : undefined;
}

export async function copyImage(ctx: Ctx, source: ImageAt): Promise<void> {
  const destination = await pickDestination(ctx, source);
  if (!destination) return;
  const destinationApi = ctx.connections().get(destination.address);
  const existing = await getImage(destinationApi, destination.namespace, source.name);
  const decision = copyDecision(source, destination, existing?.target.digest);
  if (decision.kind === 'refused') throw new Error(decision.reason);
  if (decision.kind === 'present') {
    const labelled = existing !== undefined && await labelForCri(destinationApi, destination, existing);
    void vscode.window.showInformationMessage(`${source.name} is already in namespace "${destination.namespace}" of ${destination.address} with the same digest: nothing was copied${labelled ? `; it is now labelled ${criManagedLabel.key}=${criManagedLabel.value}` : ''}.`);
    return;
  }
  if (decision.kind === 'replace') {
    const replace = 'Replace';
    const answer = await vscode.window.showWarningMessage(
      `${source.name} already exists in namespace "${destination.namespace}" of ${destination.address} as ${shortDigest(decision.existingDigest)}. Copying makes that name point at ${shortDigest(source.digest)}.`,
      { modal: true }, replace);
    if (answer !== replace) return;
  }
  // Both calls run in the background (sudo -n): nobody could type a password into a pipe.
  const saveWith = await nerdctlProcess(ctx, source.address, source.namespace, [], 'background');
  const loadWith = await nerdctlProcess(ctx, destination.address, destination.namespace, [], 'background');
  let copied = false;
  await ctx.terminals.openWork(`copy ${source.name} → ${destination.namespace}`, async (out, signal) => {
    out.line(`${source.name} (${shortDigest(source.digest)}), every platform`);
    out.line(`  from namespace ${source.namespace} of ${source.address}`);
    out.line(`  to namespace ${destination.namespace} of ${destination.address}`);
    let shownAt = 0;
    const outcome = await runImageCopy({
      source, destination, saveWith, loadWith, destinationApi, signal, scratch: ctx.scratchFolder,
      progress: {
        line: (text) => out.line(text),
        bytes: (total) => {
          if (Date.now() - shownAt < 250) return;
          shownAt = Date.now();
          out.status(`  ${formatBytes(total)} saved`);
        },
      },
    });
    if (outcome.kind === 'cancelled') {
      out.line('Cancelled: no image was named at the destination, and the archive is deleted.');
      return;
    }
    if (outcome.kind === 'failed') {
      out.line(outcome.message);
      throw new Error(outcome.message);
    }
    if (outcome.labelled) out.line(`Labelled ${criManagedLabel.key}=${criManagedLabel.value}: Kubernetes (crictl images) lists it.`);
    out.line(`Done: ${source.name} is in namespace ${destination.namespace} with the same digest.`);
    copied = true;
  });
  if (!copied) return;
  const show = 'Show';
  const answer = await vscode.window.showInformationMessage(`Copied ${source.name} to namespace "${destination.namespace}" of ${destination.address}.`, show);
  if (answer === show) await ctx.scope.choose({ address: destination.address, namespace: destination.namespace });
}

/** The image a row shows, as the copy names it. */
export function imageAt(image: { address: string; namespace: string; record: { name: string; target: { digest: string } } }): ImageAt {
  return { address: image.address, namespace: image.namespace, name: image.record.name, digest: image.record.target.digest };
}
