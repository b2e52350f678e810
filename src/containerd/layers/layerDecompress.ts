// Layers come as plain tar, gzip or zstd. The compression is read from the first bytes, not the
// media type: Docker's media types say gzip for every compressed layer, and some registries'
// zstd layers carry them. gzip goes through Node's zlib (off the main thread, see gzipMembers); zstd through
// fzstd, pure JavaScript, since Node 20's zlib has no zstd and native modules would need
// binaries built for each editor's Node.
import { gunzipMembers } from './gzipMembers';

export type LayerCompression = 'gzip' | 'zstd' | 'none';

/** What the first bytes say: gzip's 1f 8b, zstd's frame magic 28 b5 2f fd, else a plain tar. */
export function sniffCompression(head: Uint8Array): LayerCompression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

/** Why a layer's media type cannot be read here (encrypted layers), or undefined. */
export function unreadableMediaType(mediaType: string): string | undefined {
  return mediaType.includes('+encrypted') ? `the layer is encrypted (${mediaType}): its files cannot be listed without the key` : undefined;
}

async function* unzstd(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, like tar
  const { Decompress } = require('fzstd') as typeof import('fzstd');
  const ready: Uint8Array[] = [];
  const decompress = new Decompress((data) => {
    if (data.length > 0) ready.push(data);
  });
  for await (const chunk of chunks) {
    decompress.push(chunk);
    yield* ready.splice(0);
  }
  decompress.push(new Uint8Array(0), true);
  yield* ready.splice(0);
}

/** The tar inside, whatever the compression: it is read from the first four bytes. */
export async function* decompressedLayer(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  while (headBytes < 4) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    headBytes += next.value.length;
  }
  async function* whole(): AsyncGenerator<Uint8Array> {
    yield* head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  const kind = sniffCompression(Buffer.concat(head));
  try {
    if (kind === 'gzip') yield* gunzipMembers(whole());
    else if (kind === 'zstd') yield* unzstd(whole());
    else yield* whole();
  } finally {
    await iterator.return?.();
  }
}
