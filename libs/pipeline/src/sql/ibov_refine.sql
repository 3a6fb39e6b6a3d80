-- Refines one day of the raw IBOV portfolio (view ibov_raw: tbsor_b3_carteira_ibov_raw rows plus
-- their `date` partition column) into tbrefined_b3_carteira_ibov, partitioned by date and ticker.
-- Runs unchanged in DuckDB (local, with a datediff macro) and in Spark SQL (the Glue job).
-- B3 sends pt-br text: thousands '.', decimal ','; `part` is in percent points.
SELECT
  date,
  cod AS ticker,
  MAX(asset) AS nome_ativo,
  MAX(TRIM(REPLACE(REPLACE(REPLACE(type, '  ', ' '), '  ', ' '), '  ', ' '))) AS tipo_ativo,
  SUM(CAST(REPLACE(REPLACE(part, '.', ''), ',', '.') AS DOUBLE)) / 100 AS pct_participacao,
  SUM(CAST(REPLACE(theoricalQty, '.', '') AS BIGINT)) AS qtd_teorica,
  COUNT(*) AS num_linhas_origem,
  datediff(CAST(MAX(ts_extracao) AS DATE), date) AS num_dias_defasagem,
  MAX(ts_extracao) AS ts_extracao
FROM ibov_raw
GROUP BY date, cod
ORDER BY cod
