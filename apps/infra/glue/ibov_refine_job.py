"""Glue ETL job: refines one day of the raw IBOV portfolio with ibov_refine.sql.

The SQL file is the one DuckDB runs locally (libs/pipeline/src/sql/ibov_refine.sql), deployed
unchanged as an S3 asset. Spark has the two-argument datediff natively; DuckDB gets it from a
macro. Output: REFINED parquet partitioned by date and ticker, registered in the Glue catalog.

Hive paths (`date=D/` under the raw table, `date=D/ticker=T/` under the refined one) are built
and parsed in TypeScript by libs/lake/src/lib/hive.ts (partitionPath, leadingPartitionPrefix,
parsePartition); the f-strings below follow that layout, keep them in step with it.
"""
import sys
from urllib.parse import urlparse

import boto3
from awsglue.utils import getResolvedOptions
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

ARGS = getResolvedOptions(sys.argv, ["date", "raw_path", "refined_path", "sql_s3_uri", "database", "table"])


def read_text(uri):
    parsed = urlparse(uri)
    body = boto3.client("s3").get_object(Bucket=parsed.netloc, Key=parsed.path.lstrip("/"))["Body"]
    return body.read().decode("utf-8")


def replace_partitions(glue, day, tickers):
    """Registers the day's ticker partitions and drops those of tickers that left the index, as the
    local refine does (it deletes their folders), so both give the same rows on a re-run."""
    database, table = ARGS["database"], ARGS["table"]
    location = ARGS["refined_path"].rstrip("/")
    storage = glue.get_table(DatabaseName=database, Name=table)["Table"]["StorageDescriptor"]
    existing = []
    for page in glue.get_paginator("get_partitions").paginate(DatabaseName=database, TableName=table, Expression=f"date = '{day}'"):
        existing += [p["Values"] for p in page["Partitions"]]
    stale = [values for values in existing if values[1] not in set(tickers)]
    for start in range(0, len(stale), 25):
        glue.batch_delete_partition(DatabaseName=database, TableName=table, PartitionsToDelete=[{"Values": v} for v in stale[start:start + 25]])
    for start in range(0, len(tickers), 100):
        partitions = [
            {"Values": [day, t], "StorageDescriptor": {**storage, "Location": f"{location}/date={day}/ticker={t}/"}}
            for t in tickers[start:start + 100]
        ]
        result = glue.batch_create_partition(DatabaseName=database, TableName=table, PartitionInputList=partitions)
        errors = [e for e in result.get("Errors", []) if e["ErrorDetail"]["ErrorCode"] != "AlreadyExistsException"]
        if errors:
            raise RuntimeError(f"batch_create_partition failed: {errors}")


def main():
    spark = SparkSession.builder.appName("b3lake-ibov-refine").getOrCreate()
    # Static overwrite of the date folder: every ticker partition of date=D is replaced, so a
    # ticker that left the index since the last run of D loses its folder (as locally).
    spark.conf.set("spark.sql.sources.partitionOverwriteMode", "static")
    day = ARGS["date"]
    raw = spark.read.parquet(f"{ARGS['raw_path'].rstrip('/')}/date={day}/").withColumn("date", F.lit(day).cast("date"))
    raw.createOrReplaceTempView("ibov_raw")
    refined = spark.sql(read_text(ARGS["sql_s3_uri"]))
    refined.drop("date").write.mode("overwrite").partitionBy("ticker").parquet(f"{ARGS['refined_path'].rstrip('/')}/date={day}/")
    tickers = sorted(row["ticker"] for row in refined.select("ticker").distinct().collect())
    replace_partitions(boto3.client("glue"), day, tickers)


main()
