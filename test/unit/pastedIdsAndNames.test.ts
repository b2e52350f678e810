// Image ids and container names as users paste or type them: an id with a stray space or an
// uppercase algorithm is not an id, and container names may have words of any length between
// their separators.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerName, imageReference } from '../../src/nerdctl/validate';

const id = '0123456789abcdef'.repeat(4);
const notAnImage = (value: string): string =>
  `"${value}" is not an image reference: expected [registry[:port]/]name[:tag][@sha256:digest], in lowercase, e.g. docker.io/library/busybox:1.36`;

describe('image ids and container names as typed', () => {
  it('takes a 64-digit image id only when nothing is around it', () => {
    assert.equal(imageReference(id), undefined);
    assert.equal(imageReference(`sha256:${id}`), undefined);
    for (const value of [` ${id}`, `${id} `, `SHA256:${id}`, `${id}:`, `${id}Z`]) assert.equal(imageReference(value), notAnImage(value), JSON.stringify(value));
  });

  it('takes container names whose parts between separators are longer than one character', () => {
    for (const value of ['my-app', 'web_server.v2', 'db-01-primary', 'a-bc']) assert.equal(containerName(value), undefined, value);
  });
});
