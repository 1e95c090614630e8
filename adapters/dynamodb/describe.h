// People's words for DynamoDB changes and tables: one line per change ("add global index
// by_status"), one line per table for schema summaries.
#pragma once

#include <string>

#include "proto/dynamodb.pb.h"

namespace strata::dynamodb {

std::string DescribeChange(const pb::DynamoChange& change);
// "orders  PK id (S)  SK at (N)  GSI by_status  on-demand".
std::string SummaryLine(const pb::DynamoTable& table);

}  // namespace strata::dynamodb
