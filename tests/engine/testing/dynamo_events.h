// Small DynamoDB events for engine tests: a minimal valid table created, and dropped.
#pragma once

#include <string>

#include "proto/commit.pb.h"

namespace strata::testing {

// Creates table `name`: key "id" (S), on demand, no stream, standard class — canonical.
inline pb::Event CreateTableEvent(const std::string& name) {
  pb::Event e;
  auto* t = e.mutable_dynamodb()->mutable_create_table()->mutable_table();
  t->set_name(name);
  t->mutable_key()->set_partition_key("id");
  auto* a = t->add_attributes();
  a->set_name("id");
  a->set_type(pb::DYNAMO_ATTRIBUTE_TYPE_S);
  t->set_billing_mode(pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST);
  t->set_stream(pb::DYNAMO_STREAM_DISABLED);
  t->set_table_class(pb::DYNAMO_TABLE_CLASS_STANDARD);
  return e;
}

inline pb::Event DropTableEvent(const std::string& name) {
  pb::Event e;
  e.mutable_dynamodb()->mutable_drop_table()->set_table(name);
  return e;
}

}  // namespace strata::testing
