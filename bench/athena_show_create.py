#!/usr/bin/env python3
"""The read that a text-diff tool makes of a catalog through Athena, for comparison.

    athena_show_create.py ENDPOINT DATABASES_FILE [--glue-endpoint URL] [--concurrency N]

Tools that compare schema files with `SHOW CREATE TABLE` text read a catalog with Athena
queries: SHOW TABLES once per database, then SHOW CREATE TABLE once per table, each query a
StartQueryExecution, a GetQueryExecution until it has finished, and a GetQueryResults. This
script does exactly that for every database named in DATABASES_FILE (one per line) against
ENDPOINT (moto: every query succeeds at once and answers no rows, so the table names come from
Glue's GetTables, at --glue-endpoint so that a proxy counting ENDPOINT's calls does not count
them, instead of the SHOW TABLES rows; the Athena calls are the same), and prints
{"queries": N, "calls": N, "seconds": S} as JSON. Credentials come from the environment.
"""
import argparse
import concurrent.futures
import json
import sys
import time

import boto3


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("endpoint")
    parser.add_argument("databases_file")
    parser.add_argument("--glue-endpoint")
    parser.add_argument("--concurrency", type=int, default=1)
    args = parser.parse_args()
    databases = [line.strip() for line in open(args.databases_file) if line.strip()]
    athena = boto3.client("athena", endpoint_url=args.endpoint, region_name="us-east-1")
    glue = boto3.client("glue", endpoint_url=args.glue_endpoint or args.endpoint, region_name="us-east-1")
    calls = 0

    def query(sql, database):
        nonlocal calls
        started = athena.start_query_execution(
            QueryString=sql, QueryExecutionContext={"Database": database},
            ResultConfiguration={"OutputLocation": "s3://athena-results/"})
        qid = started["QueryExecutionId"]
        n = 1
        while True:
            n += 1
            state = athena.get_query_execution(QueryExecutionId=qid)
            if state["QueryExecution"]["Status"]["State"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
                break
            time.sleep(0.1)
        athena.get_query_results(QueryExecutionId=qid)
        return n + 1

    start = time.monotonic()
    tables = []
    for db in databases:
        calls += query("SHOW TABLES", db)
        pages = glue.get_paginator("get_tables").paginate(DatabaseName=db)
        tables += [(db, t["Name"]) for page in pages for t in page["TableList"]]
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        for n in pool.map(lambda t: query(f"SHOW CREATE TABLE `{t[0]}`.`{t[1]}`", t[0]), tables):
            calls += n
    seconds = time.monotonic() - start
    json.dump({"queries": len(databases) + len(tables), "calls": calls, "tables": len(tables),
               "seconds": round(seconds, 2)}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
