// The rules DynamoDB itself enforces on a table (names, index counts, keys, billing versus
// capacity, projections, attribute and tag key sizes), checked once for both table file formats
// after a reader has built the table. Errors are InvalidArgument "FILE:LINE: message": the
// readers record where each part was written (TablePlaces) and how their format spells the fix
// (Vocabulary). Shared by the YAML and CreateTable JSON readers; not a public contract. Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/dynamodb/suggest.h"
#include "engine/status.h"
#include "proto/dynamodb.pb.h"

namespace strata::dynamodb::internal {

inline constexpr int kMaxLocalIndexes = 5;
inline constexpr int kMaxGlobalIndexes = 20;
inline constexpr size_t kMaxAttributeNameBytes = 255;
inline constexpr size_t kMaxTagKeyChars = 128;
// Point-in-time recovery keeps 1 to 35 days; DynamoDB uses 35 when none is given.
inline constexpr int kDefaultRecoveryPeriodDays = 35;
inline constexpr int kMaxRecoveryPeriodDays = 35;
// What a new on-demand table or index starts with in warm throughput (read and write units per
// second); a provisioned one starts with its capacity. DynamoDB never lowers warm throughput,
// so it refuses a request for less than that.
inline constexpr int64_t kOnDemandWarmRead = 12000;
inline constexpr int64_t kOnDemandWarmWrite = 4000;

// InvalidArgument "FILE:LINE: message", the error every table file problem becomes.
Status ErrorAt(std::string_view file, int line, std::string_view message);

// An AWS region name: lower-case words and a number joined by '-' ("eu-west-1").
bool IsRegionName(std::string_view region);

// DynamoDB's rule for table and index names.
bool IsValidName(std::string_view name);
std::string InvalidNameMessage(std::string_view what, std::string_view name);

// Where the parts of one index were written (0: not written).
struct IndexPlace {
  int name_line = 0;
  int sort_key_line = 0;
  int projection_line = 0;
  int throughput_line = 0;
  int on_demand_line = 0;
  int warm_line = 0;
  int insights_line = 0;
};

// Where the parts of one replica were written (0: not written).
struct ReplicaPlace {
  int region_line = 0;
  int read_capacity_line = 0;
  std::vector<int> index_lines;  // parallel to the replica's index overrides, in file order
};

// Where the parts of a table were written, for the errors found after reading it. The index
// lists run parallel to the table's indexes in file order (before canonical sorting).
struct TablePlaces {
  int root_line = 1;
  int name_line = 1;
  int sort_key_line = 0;
  int billing_line = 0;
  int throughput_line = 0;
  int global_indexes_line = 0;
  int local_indexes_line = 0;
  int on_demand_line = 0;
  int warm_line = 0;
  std::vector<IndexPlace> global_indexes;
  std::vector<IndexPlace> local_indexes;
  int replicas_line = 0;
  std::vector<ReplicaPlace> replicas;  // parallel to the table's replicas in file order
};

// How each format spells what the shared rules' messages tell the user to write.
struct Vocabulary {
  std::string_view throughput_key;   // the key that sets capacity
  std::string_view throughput_form;  // how to write it
  std::string_view provisioned;      // the billing setting that needs capacity
  std::string_view pay_per_request;  // the billing setting that forbids it
  std::string_view include;          // the INCLUDE projection
  std::string_view include_form;     // how to list INCLUDE attributes
  std::string_view table_sort_key;   // how to give the table a sort key
  std::string_view on_demand_key;    // the key that sets maximum on-demand throughput
  std::string_view warm_key;         // the key that sets warm throughput
  std::string_view warm_form;        // how to write it with read R and write W ({} {})
  std::string_view replicas_key;     // the list of replicas
  std::string_view replica_stream;   // how to write the stream replicas need
  std::string_view replica_read_capacity;  // a replica's provisioned read override
  std::string_view replica_max_read;       // a replica's on-demand read override
};

// Checks `table` against the rules DynamoDB enforces. The first problem found is returned, at
// the line `at` records for the part concerned (the table's line when none was recorded).
Status CheckTableRules(const pb::DynamoTable& table, const TablePlaces& at,
                       const Vocabulary& words, std::string_view file);

// Checks a Kinesis data stream ARN (arn:PARTITION:kinesis:REGION:ACCOUNT:stream/NAME); "" when
// it is fine, else what is wrong with it.
std::string StreamArnProblem(std::string_view arn);

// Checks an attribute name used by a key; "" when it is fine.
std::string AttributeNameProblem(std::string_view name);
// Checks a tag key; "" when it is fine.
std::string TagKeyProblem(std::string_view key);

// DynamoDB's key attribute types, spelled the same in both formats.
inline constexpr EnumWord<pb::DynamoAttributeType> kAttributeTypes[] = {
    {"S", pb::DYNAMO_ATTRIBUTE_TYPE_S},
    {"N", pb::DYNAMO_ATTRIBUTE_TYPE_N},
    {"B", pb::DYNAMO_ATTRIBUTE_TYPE_B},
};

// "BOOL is not a key type; use S, N or B".
std::string BadTypeMessage(std::string_view type);

}  // namespace strata::dynamodb::internal
