import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { ObjectNotFoundError, assertSafeKey, type ObjectInfo, type ObjectStore } from './object-store';

/**
 * Objects in one S3 bucket (optionally under a key prefix). PutObject is atomic per object in
 * S3, so readers see the old or the new bytes. Listings do not use a delimiter: some S3
 * implementations miss folders that only hold folders.
 *
 * Large objects (a year of COTAHIST: a ~90 MB zip, ~30 MB of parquet) never sit whole in memory:
 * `putFile` streams a file as one PutObject (its length known; S3 takes up to 5 GB so), `putStream`
 * spools a body of unknown length (a download) to a temporary file first, and `getStream` hands
 * GetObject's body over chunk by chunk. No multipart upload: nothing here nears 5 GB, and one
 * PutObject needs no s3:AbortMultipartUpload grant nor leaves parts behind when a function dies.
 */
export class S3Store implements ObjectStore {
  readonly client: S3Client;

  constructor(
    readonly bucket: string,
    options: {
      client?: S3Client;
      config?: S3ClientConfig;
      prefix?: string;
      /** Where `putStream` spools a body before uploading it (default the OS temp folder: /tmp in Lambda). */
      scratchDir?: string;
    } = {},
  ) {
    this.client = options.client ?? new S3Client(options.config ?? {});
    this.prefix = options.prefix ? `${options.prefix.replace(/\/+$/, '')}/` : '';
    this.scratchDir = options.scratchDir;
  }

  private readonly prefix: string;
  private readonly scratchDir?: string;

  get location(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: this.full(key), Body: body, ContentLength: body.byteLength }),
    );
  }

  /** Streams a local file as one PutObject (ContentLength from the file); the file is left in place. */
  async putFile(key: string, path: string): Promise<void> {
    const full = this.full(key);
    const { size } = await stat(path);
    const body = createReadStream(path, { highWaterMark: 1 << 20 });
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: full, Body: body, ContentLength: size }));
    } finally {
      body.destroy();
    }
  }

  /**
   * Writes chunks of unknown total length (a download): spooled to a temporary file, then one
   * PutObject of the whole file, so the object appears complete or not at all (a body that fails
   * midway writes nothing). The temporary file is removed either way.
   */
  async putStream(key: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    this.full(key); // an unsafe key is refused before anything is read
    const temp = join(this.scratchDir ?? tmpdir(), `b3lake-s3-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      await pipeline(body, createWriteStream(temp));
      await this.putFile(key, temp);
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** An object's bytes as GetObject's body delivers them; throws ObjectNotFoundError when absent. */
  async *getStream(key: string): AsyncIterable<Uint8Array> {
    const body = await this.body(key);
    if (isAsyncIterable(body)) {
      for await (const chunk of body) yield chunk as Uint8Array;
    } else {
      yield await body.transformToByteArray();
    }
  }

  async get(key: string): Promise<Uint8Array> {
    return (await this.body(key)).transformToByteArray();
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key)
          out.push({
            key: object.Key.slice(this.prefix.length),
            size: object.Size ?? 0,
            modified: object.LastModified,
          });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const chunk = keys.slice(i, i + 1000).map((key) => ({ Key: this.full(key) }));
      if (chunk.length)
        await this.client.send(
          new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: chunk, Quiet: true } }),
        );
    }
  }

  private async body(key: string) {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.full(key) }));
      if (!out.Body) throw new ObjectNotFoundError(key, this.location);
      return out.Body;
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'NoSuchKey' || name === 'NotFound') throw new ObjectNotFoundError(key, this.location);
      throw error;
    }
  }

  private full(key: string): string {
    return this.prefix + assertSafeKey(key);
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown>)?.[Symbol.asyncIterator] === 'function';
}
