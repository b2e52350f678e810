// Where a bare program name is looked for: only in PATH's non-empty entries. An empty entry (or no
// PATH at all) never means the working directory, whatever lies there.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findProgram, hostIsExecutable } from '../../src/nerdctl/findProgram';

/** Every path is an executable: only the lookup's own rules can leave one out. */
const everything = (asked: string[]) => (path: string): Promise<boolean> => {
  asked.push(path);
  return Promise.resolve(true);
};

describe('looking a program up on PATH', () => {
  it('finds nothing, and checks nothing, without a PATH', async () => {
    const asked: string[] = [];
    assert.equal(await findProgram('nerdctl', undefined, everything(asked)), undefined);
    assert.deepEqual(asked, []);
  });

  it('skips empty PATH entries instead of reading them as the working directory', async () => {
    const asked: string[] = [];
    assert.equal(await findProgram('nerdctl', '::/opt/bin', everything(asked)), '/opt/bin/nerdctl');
    assert.deepEqual(asked, ['/opt/bin/nerdctl']);
  });

  it('answers false, not just something falsy, for a path that does not exist', async () => {
    assert.equal(await hostIsExecutable('/nonexistent/vscc/nerdctl'), false);
  });
});
