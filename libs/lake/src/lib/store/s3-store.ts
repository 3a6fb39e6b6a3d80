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
 */
export class S3Store implements ObjectStore {
  readonly client: S3Client;

  constructor(
    readonly bucket: string,
    options: { client?: S3Client; config?: S3ClientConfig; prefix?: string } = {},
  ) {
    this.client = options.client ?? new S3Client(options.config ?? {});
    this.prefix = options.prefix ? `${options.prefix.replace(/\/+$/, '')}/` : '';
  }

  private readonly prefix: string;

  get location(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: this.full(key), Body: body, ContentLength: body.byteLength }),
    );
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.full(key) }));
      if (!out.Body) throw new ObjectNotFoundError(key, this.location);
      return await out.Body.transformToByteArray();
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'NoSuchKey' || name === 'NotFound') throw new ObjectNotFoundError(key, this.location);
      throw error;
    }
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

  private full(key: string): string {
    return this.prefix + assertSafeKey(key);
  }
}
