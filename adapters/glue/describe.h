// People's words for Glue changes and tables: one line per change ("column email string",
// "location s3://lake/orders/"), one word for a table's storage format ("parquet"), one line
// per table for schema summaries. Pure.
#pragma once

#include <string>

#include "proto/glue.pb.h"

namespace strata::glue {

// The words after the sign: the sign itself comes from the change's kind (backend.h).
std::string DescribeChange(const pb::GlueChange& change);

// What a table's files are, from its SerDe and formats: parquet, orc, avro, text, csv, json,
// regex, grok, ion, cloudtrail, rcfile, sequencefile, iceberg, delta, hudi; else the SerDe's
// class name without its package, or "-" when the table says nothing.
std::string FormatWord(const pb::GlueTable& table);

// "dt string, region string": columns as DDL lists them.
std::string ColumnsText(const google::protobuf::RepeatedPtrField<pb::GlueColumn>& columns);

// "sales.orders  5 columns  partitioned by (dt string)  parquet  s3://lake/orders/".
std::string SummaryLine(const std::string& database, const pb::GlueTable& table);

}  // namespace strata::glue
