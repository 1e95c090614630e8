// Small DynamoDB tables for tests of the adapter's planning and execution, unit and
// integration alike: an on-demand table keyed by "id", global indexes added with their key
// attribute, provisioned billing, and a schema of several tables. Results are canonical.
#pragma once

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "adapters/dynamodb/plan.h"
#include "engine/state/canonical.h"
#include "proto/dynamodb.pb.h"

namespace strata::dynamodb::testing {

// A table from protobuf text format, canonicalized.
inline pb::DynamoTable ParseTable(const std::string& text) {
  pb::DynamoTable t;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &t)) << text;
  CanonicalizeDynamoTable(&t);
  return t;
}

// On demand, partition key "id" (S), no stream, standard class.
inline pb::DynamoTable SimpleTable(const std::string& name) {
  pb::DynamoTable t;
  t.set_name(name);
  t.mutable_key()->set_partition_key("id");
  auto* a = t.add_attributes();
  a->set_name("id");
  a->set_type(pb::DYNAMO_ATTRIBUTE_TYPE_S);
  t.set_billing_mode(pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST);
  t.set_stream(pb::DYNAMO_STREAM_DISABLED);
  t.set_table_class(pb::DYNAMO_TABLE_CLASS_STANDARD);
  return t;
}

// Adds a global index on `key` (defined as `type`), projecting `projection`.
inline void AddGlobalIndex(pb::DynamoTable* t, const std::string& name, const std::string& key,
                           pb::DynamoProjectionType projection = pb::DYNAMO_PROJECTION_TYPE_ALL,
                           pb::DynamoAttributeType type = pb::DYNAMO_ATTRIBUTE_TYPE_S) {
  auto* g = t->add_global_indexes();
  g->set_name(name);
  g->mutable_key()->set_partition_key(key);
  g->mutable_projection()->set_type(projection);
  auto* a = t->add_attributes();
  a->set_name(key);
  a->set_type(type);
  CanonicalizeDynamoTable(t);
}

// Adds a key attribute definition (for a new sort key or local index).
inline void DefineAttribute(pb::DynamoTable* t, const std::string& name,
                            pb::DynamoAttributeType type) {
  auto* a = t->add_attributes();
  a->set_name(name);
  a->set_type(type);
  CanonicalizeDynamoTable(t);
}

// Provisioned billing: the table at read/write, every global index at 1/1.
inline void Provision(pb::DynamoTable* t, int read, int write) {
  t->set_billing_mode(pb::DYNAMO_BILLING_MODE_PROVISIONED);
  t->mutable_throughput()->set_read_capacity_units(read);
  t->mutable_throughput()->set_write_capacity_units(write);
  for (auto& g : *t->mutable_global_indexes()) {
    g.mutable_throughput()->set_read_capacity_units(1);
    g.mutable_throughput()->set_write_capacity_units(1);
  }
}

inline pb::DynamoSchema SchemaOfTables(std::initializer_list<pb::DynamoTable> tables) {
  pb::DynamoSchema s;
  for (const auto& t : tables) (*s.mutable_tables())[t.name()] = t;
  return s;
}

// A table plan's operations as "Api: summary" lines, for comparing a plan with what is expected.
inline std::vector<std::string> Summaries(const TablePlan& t) {
  std::vector<std::string> out;
  for (const auto& op : t.operations) out.push_back(op.api + ": " + op.summary);
  return out;
}

}  // namespace strata::dynamodb::testing
