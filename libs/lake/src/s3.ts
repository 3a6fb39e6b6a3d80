/** @b3lake/lake/s3 — the S3 object store (AWS SDK v3), kept out of the main entry so local runs do not load the SDK. */
export { S3Store } from './lib/store/s3-store';
