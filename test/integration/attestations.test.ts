// An image built by BuildKit with provenance, against real containerd 1.6, 1.7 and 2.x: its index
// lists an attestation manifest (platform unknown/unknown) next to each real platform's manifest.
// The Images view's model (the rows the view shows, resolved by the same code) must name only the
// real platforms and size only their content (nerdctl's CONTENT SIZE rule), whether the
// attestation blobs were imported (--all-platforms) or not (the default import, host platform
// only). ctr on the same daemon says which blobs are in the content store and which platforms
// it lists; the archive the test wrote says what the real platforms are and weigh.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ContainerdClient } from '../../src/containerd/connection/client';
import { BlobCache, type ResolvedImage } from '../../src/containerd/images/images';
import { MethodTable } from '../../src/containerd/proto/codec';
import { listImageRows, resolveImageRows } from '../../src/model/imageRows';
import { containerdVersions } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { writeAttestedOciArchive, type AttestedImage } from '../harness/attestedImage';

const methods = new MethodTable();
const imageName = 'registry.example:5000/team/attested:v1';
/** Namespace -> extra `ctr images import` arguments. */
const imports: Record<string, string[]> = { all: ['--all-platforms'], host: [] };

for (const version of containerdVersions) {
  describe(`BuildKit attestation manifests on containerd ${version}`, () => {
    let daemon: ContainerdDaemon;
    let client: ContainerdClient;
    let workDir: string;
    let written: AttestedImage;

    /** The image as the Images view resolves it: its rows for the namespace, then their resolution. */
    const viewImage = async (namespace: string): Promise<ResolvedImage> => {
      const listed = await listImageRows(client, daemon.socket, [namespace]);
      const [resolved] = await resolveImageRows(client, new BlobCache(), listed);
      const rows = resolved?.rows ?? [];
      assert.deepEqual(rows.map((row) => row.record.name), [imageName], namespace);
      const [row] = rows;
      assert.equal(row?.failure, undefined, namespace);
      assert.ok(row?.resolved, namespace);
      assert.equal(row.resolved.error, undefined, namespace);
      return row.resolved;
    };
    const storedBlobs = async (namespace: string): Promise<Set<string>> =>
      new Set((await daemon.ctr(['-n', namespace, 'content', 'ls', '-q'])).split('\n').map((l) => l.trim()).filter(Boolean));

    /**
     * The view's image and ctr's content listing from one state of the store: containerd's
     * garbage collector may still be removing the blobs an import left unreferenced (seen on
     * 1.7: a non-host platform's manifest listed by ctr, then gone when the view read it).
     */
    const viewWithStableContent = async (namespace: string): Promise<{ stored: Set<string>; image: ResolvedImage }> => {
      for (let attempt = 0; attempt < 10; attempt++) {
        const stored = await storedBlobs(namespace);
        const image = await viewImage(namespace);
        const again = await storedBlobs(namespace);
        if (again.size === stored.size && [...again].every((digest) => stored.has(digest))) return { stored, image };
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`${namespace}: ctr content ls kept changing`);
    };

    before(async () => {
      workDir = await mkdtemp(join(tmpdir(), 'vscc-attested-'));
      const archive = join(workDir, 'attested.oci.tar');
      written = await writeAttestedOciArchive({ imageName, workDir: join(workDir, 'layout'), outFile: archive });
      daemon = await startContainerd(version);
      client = new ContainerdClient(daemon.socket, { methods, timeoutMs: 10_000 });
      for (const [namespace, args] of Object.entries(imports)) await daemon.ctr(['-n', namespace, 'images', 'import', ...args, archive]);
    });
    after(async () => {
      client?.close();
      await daemon?.stop();
      if (workDir) await rm(workDir, { recursive: true, force: true });
    });

    it('shows only the real platforms, as ctr lists them, with the attestations imported or not', async () => {
      const real = written.platforms.map((p) => p.platform).sort();
      for (const namespace of Object.keys(imports)) {
        const image = await viewImage(namespace);
        assert.equal(image.kind, 'index', namespace);
        assert.deepEqual(image.platforms.map((p) => p.platform), real, namespace);
        // The same manifests the index lists for them, not an attestation under a real name.
        assert.deepEqual(image.platforms.map((p) => p.manifest.digest), written.platforms.map((p) => p.manifest.digest), namespace);
        // ctr's PLATFORMS column (1.6 still lists the attestations as unknown/unknown; 1.7 and later skip them).
        const line = (await daemon.ctr(['-n', namespace, 'images', 'ls'])).split('\n').find((l) => l.startsWith(`${imageName} `)) ?? '';
        const ctrPlatforms = (line.trim().split(/\s+/)[5] ?? '').split(',').filter((p) => p !== 'unknown/unknown').sort();
        assert.deepEqual(ctrPlatforms, real, `${namespace}: ctr images ls says ${line}`);
      }
    });

    it('sizes only the real platforms\' manifests, configs and layers, never the attestation blobs ctr holds', async () => {
      const all = await storedBlobs('all');
      // The case is real: with --all-platforms the daemon holds every attestation blob.
      for (const blob of written.attestationBlobs) assert.ok(all.has(blob.digest), `ctr content ls lacks attestation blob ${blob.digest}`);
      for (const namespace of Object.keys(imports)) {
        const { stored, image } = await viewWithStableContent(namespace);
        for (const platform of written.platforms) {
          const shown = image.platforms.find((p) => p.platform === platform.platform);
          // nerdctl's BLOB SIZE: the platform's manifest + config + layers, once manifest and config are stored.
          const pulled = stored.has(platform.manifest.digest) && stored.has(platform.config.digest);
          assert.equal(shown?.contentSize, pulled ? platform.contentSize : undefined, `${namespace} ${platform.platform}`);
        }
        const expected = written.platforms.filter((p) => stored.has(p.manifest.digest) && stored.has(p.config.digest)).reduce((sum, p) => sum + p.contentSize, 0);
        assert.ok(expected > 0, `${namespace}: the host platform at least is imported`);
        assert.equal(image.contentSize, expected, `${namespace}: nerdctl's CONTENT SIZE sums the real platforms only`);
      }
    });
  });
}
