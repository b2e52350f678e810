// Image rows in the page, against ctr: a digest-only name is a dangling `<none>` row with its own
// icon, the tooltip shows the digest and platforms, Copy Image Digest puts ctr's digest on the
// clipboard; an image built with BuildKit provenance shows only its real platforms and their size.
import type { Page } from 'playwright-core';
import { readClipboard, writeClipboard } from '../harness/browser';
import { waitFor } from '../harness/waitFor';
import { ctrImages, type Ctr, type CtrImage } from './ctrOracle';
import { chooseNamespace, screenshot, settle, type PageCheck } from './explorerPage';
import { e2eImage, type Fixture } from './fixture';
import type { RowFacts } from './rowFixtures';
import { expandRows, hoverText, runFromContextMenu, treeRow } from './workbenchUi';

async function ctrImage(fx: Fixture, name: string): Promise<CtrImage> {
  const ctr: Ctr = (args) => fx.daemon.ctr(args);
  const image = (await ctrImages(ctr, fx.facts.namespace)).find((i) => i.name === name);
  if (!image) throw new Error(`ctr does not list ${name} in ${fx.facts.namespace}`);
  return image;
}

/** The row's codicon (package, circle-slash, ...), read from its icon element's classes. */
async function rowIcon(page: Page, label: string, level: number): Promise<string> {
  const classes = await treeRow(page, 'Images', label, level).locator('.custom-view-tree-node-item-icon').getAttribute('class') ?? '';
  return /codicon-([\w-]+)/.exec(classes)?.[1] ?? `none (${classes})`;
}

async function danglingRow(page: Page, fx: Fixture, rows: RowFacts): Promise<void> {
  await chooseNamespace(page, fx.facts.namespace);
  const dangling = await ctrImage(fx, rows.dangling);
  const short = dangling.digest.slice('sha256:'.length, 'sha256:'.length + 12);
  await expandRows(page, 'Images', ['busybox', '<none>']);
  // The repository row `<none>` holds the image row `<none>`.
  await settle(page, 'Images', `<none> under <none>, ${short}…`, (s) => s.rows.some((r, i) => r === '<none>' && s.levels[i] === 1
    && s.rows[i + 1] === '<none>' && s.levels[i + 1] === 2 && (s.descriptions[i + 1] ?? '').startsWith(short)));
  const icons = { dangling: await rowIcon(page, '<none>', 2), tagged: await rowIcon(page, 'e2e', 2) };
  if (icons.dangling !== 'circle-slash' || icons.tagged !== 'package') throw new Error(`icons: dangling row ${icons.dangling}, tagged row ${icons.tagged}; expected circle-slash and package`);
  const tooltip = await hoverText(page, treeRow(page, 'Images', '<none>', 2), dangling.digest);
  if (!tooltip.includes(`${rows.dangling} (dangling)`)) throw new Error(`the tooltip does not call ${rows.dangling} dangling: ${tooltip}`);
  await screenshot(page, 'image-dangling.png', 'Images');
}

async function imageTooltip(page: Page, fx: Fixture): Promise<void> {
  await chooseNamespace(page, fx.facts.namespace);
  const image = await ctrImage(fx, e2eImage);
  await expandRows(page, 'Images', ['busybox']);
  // The unpacked sizes come last, from the snapshotters the unpack labelled: wait for them.
  const text = await hoverText(page, treeRow(page, 'Images', 'e2e', 2), 'unpacked:');
  const missing = [image.name, `digest: ${image.digest}`, ...image.platforms].filter((part) => !text.includes(part));
  // ctr unpacked the host platform into overlayfs on import.
  if (!/linux\/amd64: overlayfs \d[\d.]* (B|KiB|MiB)/.test(text)) throw new Error(`the image tooltip does not give the overlayfs size of linux/amd64: ${text}`);
  if (image.platforms.length < 2) throw new Error(`ctr lists ${image.name} with platforms [${image.platforms.join(', ')}]: expected the two of the sample`);
  if (missing.length > 0) throw new Error(`the image tooltip lacks [${missing.join(', ')}]: ${text}`);
  await screenshot(page, 'image-tooltip.png');
}

async function copyDigest(page: Page, fx: Fixture): Promise<void> {
  await chooseNamespace(page, fx.facts.namespace);
  const image = await ctrImage(fx, e2eImage);
  await expandRows(page, 'Images', ['busybox']);
  await writeClipboard(page, 'nothing copied yet');
  await runFromContextMenu(page, treeRow(page, 'Images', 'e2e', 2), 'Copy Image Digest');
  let copied = '';
  await waitFor(`the clipboard to hold ${image.digest}`, async () => (copied = await readClipboard(page)) === image.digest, 10_000, 100)
    .catch((error: unknown) => { throw new Error(`${(error as Error).message}; it holds ${JSON.stringify(copied)}`); });
}

/** "20.5 KiB" -> bytes, and how far from the true size its rounding may be. */
function shownBytes(text: string): { bytes: number; slack: number } | undefined {
  const match = /^(\d+(?:\.\d+)?) (B|KiB|MiB)$/.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  const unit = { B: 1, KiB: 1024, MiB: 1024 * 1024 }[match[2] as 'B' | 'KiB' | 'MiB'];
  // One decimal rounds by half a tenth of the unit, none (bytes, or 100 and more) by half of it.
  return { bytes: Number(match[1]) * unit, slack: unit === 1 ? 0 : match[1].includes('.') ? unit * 0.05 : unit * 0.5 };
}

/**
 * The row of an image whose index lists attestation manifests (platform unknown/unknown) next to
 * its two platforms: `digest · linux/amd64, linux/arm64 · size`, the size being what the archive's
 * real platforms weigh (manifest, config, layers), without the attestations ctr also holds.
 */
async function attestedRow(page: Page, fx: Fixture, rows: RowFacts): Promise<void> {
  const { namespace, name, written } = rows.attested;
  const ctr: Ctr = (args) => fx.daemon.ctr(args);
  const listed = (await ctrImages(ctr, namespace)).find((i) => i.name === name);
  if (listed?.digest !== written.indexDigest) throw new Error(`ctr lists ${name} in ${namespace} as ${JSON.stringify(listed)}, expected the index ${written.indexDigest}`);
  const stored = await ctr(['--namespace', namespace, 'content', 'ls', '-q']);
  if (!written.attestationBlobs.every((b) => stored.includes(b.digest))) throw new Error('ctr content ls lacks attestation blobs: the check would prove nothing');
  await chooseNamespace(page, namespace);
  await expandRows(page, 'Images', ['attested']);
  const state = await settle(page, 'Images', 'provenance resolved', (s) => {
    const i = s.rows.indexOf('provenance');
    return i >= 0 && !(s.descriptions[i] ?? '').endsWith('resolving…');
  });
  const description = state.descriptions[state.rows.indexOf('provenance')] ?? '';
  const [digest = '', platforms = '', sizeText = ''] = description.split(' · ');
  const real = written.platforms.map((p) => p.platform).sort();
  if (digest !== written.indexDigest.slice('sha256:'.length, 'sha256:'.length + 12) || platforms !== real.join(', ')) {
    throw new Error(`the row reads "${description}": expected the index digest and exactly the platforms [${real.join(', ')}]`);
  }
  const expected = written.platforms.reduce((sum, p) => sum + p.contentSize, 0);
  const size = shownBytes(sizeText);
  if (!size || Math.abs(size.bytes - expected) > size.slack) throw new Error(`the row shows a size of "${sizeText}", the real platforms weigh ${expected} B`);
  await screenshot(page, 'image-attested.png', 'Images');
}

export function imageRowChecks(fx: Fixture, rows: () => Promise<RowFacts>): PageCheck[] {
  return [
    { title: 'UI: a digest-only image name shows as <none> with the dangling icon', run: async (page) => danglingRow(page, fx, await rows()) },
    { title: 'UI: the image tooltip shows ctr\'s digest and platforms', run: (page) => imageTooltip(page, fx) },
    { title: 'UI: Copy Image Digest puts ctr\'s digest on the clipboard', run: (page) => copyDigest(page, fx) },
    { title: 'UI: an image with BuildKit attestation manifests shows only its real platforms and their size', run: async (page) => attestedRow(page, fx, await rows()) },
  ];
}
