// Deleting an image by name deletes what the user saw: when the name was moved to other content
// after the confirmation, nothing is deleted (ctr is the oracle). On 2.x containerd checks the
// target itself as well; 1.6 and 1.7 skip that field, and the check just before the delete holds.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ContainerdClient } from '../../src/containerd/connection/client';
import { ContainerdRequestError } from '../../src/containerd/connection/errors';
import { deleteImage, deleteImageIfUnchanged, getImage, ImageChangedError } from '../../src/containerd/images/images';
import { MethodTable } from '../../src/containerd/proto/codec';
import { containerdVersions, loadComponents } from '../harness/components';
import { startContainerd, type ContainerdDaemon } from '../harness/containerdDaemon';
import { writeBusyboxOciArchive } from '../harness/sampleImage';

const methods = new MethodTable();
const index = 'docker.io/library/busybox:index';
const moving = 'registry.example/team/app:stable';
const other = 'localhost/busybox-layout:index';

for (const version of containerdVersions) {
  describe(`image delete on containerd ${version}`, () => {
    let daemon: ContainerdDaemon;
    let client: ContainerdClient;
    let workDir: string;
    let indexDigest: string;

    const ctrImageNames = async (): Promise<string[]> => (await daemon.ctr(['-n', 'del', 'images', 'ls', '-q'])).trim().split('\n').filter(Boolean).sort();

    before(async () => {
      workDir = await mkdtemp(join(tmpdir(), 'vscc-delete-'));
      const archive = join(workDir, 'busybox.oci.tar');
      await writeBusyboxOciArchive({ busybox: loadComponents().busybox, imageName: index, outFile: archive, workDir: join(workDir, 'sample') });
      daemon = await startContainerd(version);
      client = new ContainerdClient(daemon.socket, { methods, timeoutMs: 10_000 });
      await daemon.ctr(['-n', 'del', 'images', 'import', '--all-platforms', archive]);
      // The layout's own index.json as a second image: other content to move a name to.
      await daemon.ctr(['-n', 'del', 'images', 'import', '--all-platforms', '--index-name', other, archive]);
      const record = await getImage(client, 'del', index);
      assert.ok(record);
      indexDigest = record.target.digest;
    });
    after(async () => {
      client?.close();
      await daemon?.stop();
      if (workDir) await rm(workDir, { recursive: true, force: true });
    });

    it('deletes nothing when the name moved to other content after the user confirmed', async () => {
      await daemon.ctr(['-n', 'del', 'images', 'tag', '--force', index, moving]);
      assert.equal((await getImage(client, 'del', moving))?.target.digest, indexDigest, 'what the modal showed');
      // Someone re-points the name while the modal is open.
      await daemon.ctr(['-n', 'del', 'images', 'tag', '--force', other, moving]);
      const movedTo = (await getImage(client, 'del', moving))?.target.digest;
      assert.ok(movedTo && movedTo !== indexDigest);
      await assert.rejects(deleteImageIfUnchanged(client, 'del', moving, indexDigest),
        (error: unknown) => error instanceof ImageChangedError && error.actual === movedTo && /nothing was deleted/.test(error.message));
      assert.ok((await ctrImageNames()).includes(moving), 'the moved image is still there');
    });

    it('deletes exactly the named image when it still points where it did', async () => {
      await daemon.ctr(['-n', 'del', 'images', 'tag', '--force', index, `${moving}-2`]);
      await deleteImageIfUnchanged(client, 'del', `${moving}-2`, indexDigest);
      const names = await ctrImageNames();
      assert.ok(!names.includes(`${moving}-2`));
      assert.ok(names.includes(index), 'the other name of the same content stays');
    });

    it('has containerd refuse a delete whose target no longer matches, where it checks (2.x)', async () => {
      await daemon.ctr(['-n', 'del', 'images', 'tag', '--force', index, `${moving}-3`]);
      const record = await getImage(client, 'del', `${moving}-3`);
      assert.ok(record);
      const stale = { ...record.target, digest: 'sha256:' + '1'.repeat(64) };
      const attempt = deleteImage(client, 'del', `${moving}-3`, true, stale);
      if (version === '2.x') {
        // 2.x answers NOT_FOUND: 'image "..." has target sha256:..., not sha256:...'.
        await assert.rejects(attempt, (error: unknown) => error instanceof ContainerdRequestError && error.code === 'NOT_FOUND' && /has target/.test(error.detail));
        assert.ok((await ctrImageNames()).includes(`${moving}-3`));
      } else {
        await attempt;
        assert.ok(!(await ctrImageNames()).includes(`${moving}-3`), `${version} ignores the target field`);
      }
    });
  });
}
