"""Glue ETL job: refines one day of the raw IBOV portfolio with ibov_refine.sql.

The SQL file is the one DuckDB runs locally (libs/pipeline/src/sql/ibov_refine.sql), deployed
unchanged as an S3 asset. Spark has the two-argument datediff natively; DuckDB gets it from a
macro. Output: REFINED parquet partitioned by date and ticker, registered in the Glue catalog.
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


def main():
    spark = SparkSession.builder.appName("b3lake-ibov-refine").getOrCreate()
    spark.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")
    day = ARGS["date"]
    raw = spark.read.parquet(f"{ARGS['raw_path'].rstrip('/')}/date={day}/").withColumn("date", F.lit(day).cast("date"))
    raw.createOrReplaceTempView("ibov_raw")
    refined = spark.sql(read_text(ARGS["sql_s3_uri"]))
    refined.write.mode("overwrite").partitionBy("date", "ticker").parquet(ARGS["refined_path"])

    tickers = [row["ticker"] for row in refined.select("ticker").distinct().collect()]
    glue = boto3.client("glue")
    location = ARGS["refined_path"].rstrip("/")
    storage = glue.get_table(DatabaseName=ARGS["database"], Name=ARGS["table"])["Table"]["StorageDescriptor"]
    for start in range(0, len(tickers), 100):
        partitions = [
            {"Values": [day, t], "StorageDescriptor": {**storage, "Location": f"{location}/date={day}/ticker={t}/"}}
            for t in tickers[start:start + 100]
        ]
        result = glue.batch_create_partition(DatabaseName=ARGS["database"], TableName=ARGS["table"], PartitionInputList=partitions)
        errors = [e for e in result.get("Errors", []) if e["ErrorDetail"]["ErrorCode"] != "AlreadyExistsException"]
        if errors:
            raise RuntimeError(f"batch_create_partition failed: {errors}")


main()
