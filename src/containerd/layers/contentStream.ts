// A blob of the content store read as a stream of chunks (Content.Read), in order, as fast as the
// reader takes them: layers are too big to buffer whole (readBlob refuses them), and a user may
// cancel a listing of hundreds of megabytes half way.
import type { ContainerdApi } from '../connection/api';
import { contentService, type ReadRequest, type ReadResponse } from '../images/contentReads';

export interface StreamOptions {
  readonly signal?: AbortSignal;
  /** Called with the bytes read so far after each chunk. */
  readonly onBytes?: (bytesRead: number) => void;
}

/** The blob's bytes, chunk by chunk; size 0 asks for the whole blob. */
export async function* contentChunks(api: ContainerdApi, namespace: string, digest: string, options: StreamOptions = {}): AsyncGenerator<Buffer> {
  const method = api.methods.method<ReadRequest, ReadResponse>(contentService, 'Read');
  let bytesRead = 0;
  for await (const chunk of api.streamEach(method, { digest, offset: 0, size: 0 }, namespace, options.signal)) {
    if (Number(chunk.offset) !== bytesRead) throw new Error(`content ${digest}: chunk at offset ${chunk.offset}, expected ${bytesRead}`);
    bytesRead += chunk.data.length;
    options.onBytes?.(bytesRead);
    yield chunk.data;
  }
}
