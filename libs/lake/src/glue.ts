/** @b3lake/lake/glue — the Glue Data Catalog adapter (AWS SDK v3). */
export { GlueCatalog, GluePartitionError } from './lib/glue/glue-catalog';
