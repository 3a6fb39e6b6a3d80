import type { Layer, ObjectStore } from '@b3lake/lake';

/** Wraps the stores to count objects written, for the run summary. */
export function countingStores(stores: (layer: Layer) => ObjectStore): {
  stores: (layer: Layer) => ObjectStore;
  written: () => number;
} {
  let written = 0;
  const cache = new Map<Layer, ObjectStore>();
  return {
    written: () => written,
    stores: (layer) => {
      let store = cache.get(layer);
      if (!store) {
        const inner = stores(layer);
        store = {
          get location() {
            return inner.location;
          },
          put: async (key, body) => {
            await inner.put(key, body);
            written++;
          },
          get: (key) => inner.get(key),
          list: (prefix) => inner.list(prefix),
          delete: (keys) => inner.delete(keys),
          // Streams pass through: a COTAHIST file is not held in memory to be counted.
          ...(inner.putFile && {
            putFile: async (key: string, path: string) => {
              await inner.putFile?.(key, path);
              written++;
            },
          }),
          ...(inner.putStream && {
            putStream: async (key: string, body: AsyncIterable<Uint8Array>) => {
              await inner.putStream?.(key, body);
              written++;
            },
          }),
          ...(inner.getStream && { getStream: (key: string) => inner.getStream?.(key) as AsyncIterable<Uint8Array> }),
          ...(inner.stageRows && {
            stageRows: (key, def, rows) => {
              const staged = inner.stageRows?.(key, def, rows) ?? false;
              if (staged) written++;
              return staged;
            },
          }),
          ...(inner.stagedRows && { stagedRows: (key) => inner.stagedRows?.(key) }),
        };
        cache.set(layer, store);
      }
      return store;
    },
  };
}
