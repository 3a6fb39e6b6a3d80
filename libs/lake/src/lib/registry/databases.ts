/** The Glue databases (DuckDB schemas) of the lake, by role. */
export const DATABASES = {
  sor: 'db_b3lake_sor',
  sot: 'db_b3lake_sot',
  spec: 'db_b3lake_spec',
  refined: 'default',
  ops: 'db_b3lake_ops',
} as const;
