import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32, deflateRawSync, gunzipSync, gzipSync } from 'node:zlib';
import { GzipFormatError, gunzipMembers, gzipHeaderLength } from '../../src/containerd/layers/gzipMembers';
import { chunked, collect } from './byteChunks';

/** A member with every optional header field (RFC 1952): extra, name, comment, header CRC. */
function memberWithFields(data: Buffer): Buffer {
  const extra = Buffer.from('SZ\x04\x00abcd', 'latin1');
  const head = Buffer.concat([
    Buffer.from([0x1f, 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3]),
    Buffer.from([extra.length, 0]), extra,
    Buffer.from('layer.tar\0', 'latin1'), Buffer.from('a comment\0', 'latin1'),
  ]);
  const headerCrc = Buffer.alloc(2);
  headerCrc.writeUInt16LE(crc32(head) & 0xffff);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data), 0);
  trailer.writeUInt32LE(data.length % 2 ** 32, 4);
  return Buffer.concat([head, headerCrc, deflateRawSync(data), trailer]);
}

/** Bytes that compress but not to nothing: several deflate blocks and zlib output chunks. */
function textOf(bytes: number, seed: number): Buffer {
  const out = Buffer.alloc(bytes);
  let state = seed;
  for (let i = 0; i < bytes; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out[i] = 97 + ((state >>> 16) % 8);
  }
  return out;
}

/** Reads the first inflated chunk and stops: whether the source was closed then. */
async function closedAfterFirstChunk(chunks: AsyncGenerator<Uint8Array>): Promise<boolean> {
  let closed = false;
  async function* source(): AsyncGenerator<Uint8Array> {
    try {
      yield* chunks;
    } finally {
      closed = true;
    }
  }
  for await (const chunk of gunzipMembers(source())) {
    assert.ok(chunk.length > 0);
    break;
  }
  return closed;
}

test('a gzip stream of several members is inflated whole, as gunzip does, at any chunk size', async () => {
  const parts = [textOf(3 << 20, 1), Buffer.alloc(0), textOf(70_000, 2)];
  const stream = Buffer.concat([gzipSync(parts[0] ?? Buffer.alloc(0)), memberWithFields(parts[1] ?? Buffer.alloc(0)), memberWithFields(parts[2] ?? Buffer.alloc(0))]);
  const whole = Buffer.concat(parts);
  assert.deepEqual(gunzipSync(stream), whole, 'the oracle reads the same stream');
  for (const size of [stream.length, 1 << 20, 4096, 1000]) assert.deepEqual(await collect(gunzipMembers(chunked(stream, size))), whole, `in chunks of ${size}`);
  const small = Buffer.concat([memberWithFields(Buffer.from('one ')), gzipSync(textOf(5000, 5))]);
  assert.deepEqual(await collect(gunzipMembers(chunked(small, 1))), Buffer.concat([Buffer.from('one '), textOf(5000, 5)]), 'byte by byte');
});

test('bytes after the last member are ignored, as gzip -d does; a cut stream fails', async () => {
  const data = textOf(100_000, 3);
  const gz = gzipSync(data);
  assert.deepEqual(await collect(gunzipMembers(chunked(Buffer.concat([gz, Buffer.alloc(1024)]), 333))), data);
  // Either half of the magic alone is not a member.
  assert.deepEqual(await collect(gunzipMembers(chunked(Buffer.concat([gz, Buffer.from([0x1f, 0, 8, 0])]), 333))), data);
  assert.deepEqual(await collect(gunzipMembers(chunked(Buffer.concat([gz, Buffer.from([0, 0x8b, 8, 0])]), 333))), data);
  await assert.rejects(collect(gunzipMembers(chunked(gz.subarray(0, 5), 2))), (e: unknown) => e instanceof GzipFormatError && /cut off in a member header/.test(e.message));
  await assert.rejects(collect(gunzipMembers(chunked(gz.subarray(0, gz.length >> 1), 1000))), /unexpected end/i);
  await assert.rejects(collect(gunzipMembers(chunked(gz.subarray(0, gz.length - 3), 1000))), (e: unknown) => e instanceof GzipFormatError && /no trailer/.test(e.message));
  // A second member cut in its header is not taken for trailing bytes.
  await assert.rejects(collect(gunzipMembers(chunked(Buffer.concat([gz, gz.subarray(0, 6)]), 1000))), /cut off in a member header/);
});

test('what is not gzip, another method, or reserved flags are refused', async () => {
  await assert.rejects(collect(gunzipMembers(chunked(Buffer.from('plain text, not gzip'), 4))), (e: unknown) => e instanceof GzipFormatError && /not a gzip stream/.test(e.message));
  await assert.rejects(collect(gunzipMembers(chunked(Buffer.alloc(0), 4))), /not a gzip stream/);
  const gz = gzipSync(Buffer.from('x'));
  await assert.rejects(collect(gunzipMembers(chunked(Buffer.concat([gz.subarray(0, 2), Buffer.from([7]), gz.subarray(3)]), 64))), /compression method 7/);
  await assert.rejects(collect(gunzipMembers(chunked(Buffer.concat([gz.subarray(0, 3), Buffer.from([0x20]), gz.subarray(4)]), 64))), /reserved/);
});

test('a member header is measured only once it is all there', () => {
  const member = memberWithFields(Buffer.from('data'));
  const length = 10 + 2 + 8 + 'layer.tar\0'.length + 'a comment\0'.length + 2;
  for (let cut = 0; cut < length; cut++) assert.equal(gzipHeaderLength(member.subarray(0, cut)), undefined, `${cut} bytes`);
  assert.equal(gzipHeaderLength(member.subarray(0, length)), length);
  assert.equal(gzipHeaderLength(member), length);
  assert.equal(gzipHeaderLength(gzipSync(Buffer.from('x'))), 10);
  assert.equal(gzipHeaderLength(gzipSync(Buffer.from('x')).subarray(0, 10)), 10, 'a plain header is 10 bytes, nothing more needed');
  // An empty extra field: the header ends right after its length.
  assert.equal(gzipHeaderLength(Buffer.from([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 3, 0, 0])), 12);
  assert.throws(() => gzipHeaderLength(Buffer.alloc(10)), (e: unknown) => e instanceof GzipFormatError && /not a gzip member/.test(e.message));
});

test('a reader that stops early closes the source and leaves no inflater waiting', async () => {
  const gz = gzipSync(textOf(4 << 20, 4));
  assert.equal(await closedAfterFirstChunk(chunked(gz, 65536)), true);
  // A source that fails fails the read with its own error.
  async function* failing(): AsyncGenerator<Uint8Array> {
    yield gz.subarray(0, 1000);
    await Promise.resolve();
    throw new Error('the daemon went away');
  }
  await assert.rejects(collect(gunzipMembers(failing())), /the daemon went away/);
});

test('a reader that waits is not read far ahead: the source is pulled only as the inflater takes it', async () => {
  const gz = gzipSync(textOf(16 << 20, 6));
  const chunkSize = 64 << 10;
  const chunks = Math.ceil(gz.length / chunkSize);
  let pulled = 0;
  async function* source(): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunked(gz, chunkSize)) {
      pulled++;
      yield chunk;
    }
  }
  const reader = gunzipMembers(source());
  const first = await reader.next();
  assert.ok(!first.done && first.value.length > 0);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.ok(pulled < chunks / 2, `${pulled} of ${chunks} chunks pulled while the reader waited`);
  await reader.return(undefined);
  // Read on to the end, the same source gives every byte.
  assert.deepEqual(await collect(gunzipMembers(chunked(gz, chunkSize))), textOf(16 << 20, 6));
});

/** The bytes cut at `cuts`, each piece a turn of the event loop after the last: a source slower than zlib. */
async function* paced(bytes: Uint8Array, cuts: readonly number[], fail?: Error): AsyncGenerator<Uint8Array> {
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    await new Promise((resolve) => setImmediate(resolve));
    yield bytes.subarray(from, to);
    from = to;
  }
  if (fail) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    throw fail;
  }
}

const every = (size: number, length: number): number[] => Array.from({ length: Math.ceil(length / size) - 1 }, (_, i) => (i + 1) * size);

test('a source slower than zlib: members, a trailer in the next chunk and an early stop neither hang nor lose bytes', async () => {
  const one = textOf(300_000, 7);
  const two = textOf(200_000, 8);
  const stream = Buffer.concat([gzipSync(one), gzipSync(two)]);
  assert.deepEqual(await collect(gunzipMembers(paced(stream, every(16 << 10, stream.length)))), Buffer.concat([one, two]));
  const single = gzipSync(one);
  assert.deepEqual(await collect(gunzipMembers(paced(single, [single.length - 4]))), one, 'the last trailer bytes a chunk later');
  const big = gzipSync(textOf(2 << 20, 9));
  assert.equal(await closedAfterFirstChunk(paced(big, every(64 << 10, big.length))), true);
});

test('a source that fails after a member has ended fails the read: the layer is not taken as whole', async () => {
  const gz = gzipSync(textOf(300_000, 10));
  await assert.rejects(collect(gunzipMembers(paced(gz, [], new Error('the stream was reset')))), /the stream was reset/);
  await assert.rejects(collect(gunzipMembers(paced(gz, every(4096, gz.length), new Error('the stream was reset')))), /the stream was reset/);
});
