#include "adapters/dynamodb/render.h"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>

#include "adapters/dynamodb/table_file.h"
#include "engine/state/validate.h"
#include "tests/adapters/dynamodb/random_table.h"

namespace strata::dynamodb {
namespace {

using google::protobuf::TextFormat;
using google::protobuf::util::MessageDifferencer;

constexpr int kRoundTripTables = 2000;

pb::DynamoTable Orders() {
  pb::DynamoTable t;
  EXPECT_TRUE(TextFormat::ParseFromString(R"pb(
    name: "orders"
    key { partition_key: "customer_id" sort_key: "order_id" }
    attributes { name: "created_at" type: DYNAMO_ATTRIBUTE_TYPE_N }
    attributes { name: "customer_id" type: DYNAMO_ATTRIBUTE_TYPE_S }
    attributes { name: "order_id" type: DYNAMO_ATTRIBUTE_TYPE_S }
    attributes { name: "status" type: DYNAMO_ATTRIBUTE_TYPE_S }
    billing_mode: DYNAMO_BILLING_MODE_PROVISIONED
    throughput { read_capacity_units: 10 write_capacity_units: 5 }
    global_indexes {
      name: "by_status"
      key { partition_key: "status" sort_key: "created_at" }
      projection { type: DYNAMO_PROJECTION_TYPE_INCLUDE non_key_attributes: ["currency", "total"] }
      throughput { read_capacity_units: 2 write_capacity_units: 1 }
    }
    local_indexes {
      name: "by_created"
      sort_key: "created_at"
      projection { type: DYNAMO_PROJECTION_TYPE_KEYS_ONLY }
    }
    ttl_attribute: "expires_at"
    stream: DYNAMO_STREAM_NEW_AND_OLD_IMAGES
    table_class: DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS
    deletion_protection: true
    tags { key: "team" value: "payments" }
    tags { key: "cost-center" value: "42" }
  )pb", &t));
  return t;
}

TEST(RenderTest, CreateTableJsonInAwsCliOrder) {
  EXPECT_EQ(RenderCreateTableText(Orders()), R"({
  "AttributeDefinitions": [
    {
      "AttributeName": "created_at",
      "AttributeType": "N"
    },
    {
      "AttributeName": "customer_id",
      "AttributeType": "S"
    },
    {
      "AttributeName": "order_id",
      "AttributeType": "S"
    },
    {
      "AttributeName": "status",
      "AttributeType": "S"
    }
  ],
  "TableName": "orders",
  "KeySchema": [
    {
      "AttributeName": "customer_id",
      "KeyType": "HASH"
    },
    {
      "AttributeName": "order_id",
      "KeyType": "RANGE"
    }
  ],
  "LocalSecondaryIndexes": [
    {
      "IndexName": "by_created",
      "KeySchema": [
        {
          "AttributeName": "customer_id",
          "KeyType": "HASH"
        },
        {
          "AttributeName": "created_at",
          "KeyType": "RANGE"
        }
      ],
      "Projection": {
        "ProjectionType": "KEYS_ONLY"
      }
    }
  ],
  "GlobalSecondaryIndexes": [
    {
      "IndexName": "by_status",
      "KeySchema": [
        {
          "AttributeName": "status",
          "KeyType": "HASH"
        },
        {
          "AttributeName": "created_at",
          "KeyType": "RANGE"
        }
      ],
      "Projection": {
        "ProjectionType": "INCLUDE",
        "NonKeyAttributes": [
          "currency",
          "total"
        ]
      },
      "ProvisionedThroughput": {
        "ReadCapacityUnits": 2,
        "WriteCapacityUnits": 1
      }
    }
  ],
  "BillingMode": "PROVISIONED",
  "ProvisionedThroughput": {
    "ReadCapacityUnits": 10,
    "WriteCapacityUnits": 5
  },
  "StreamSpecification": {
    "StreamEnabled": true,
    "StreamViewType": "NEW_AND_OLD_IMAGES"
  },
  "Tags": [
    {
      "Key": "cost-center",
      "Value": "42"
    },
    {
      "Key": "team",
      "Value": "payments"
    }
  ],
  "TableClass": "STANDARD_INFREQUENT_ACCESS",
  "DeletionProtectionEnabled": true,
  "TimeToLiveSpecification": {
    "AttributeName": "expires_at",
    "Enabled": true
  }
}
)");
}

TEST(RenderTest, FriendlyYaml) {
  EXPECT_EQ(RenderTableYaml(Orders()), R"(table: orders
partition_key: {name: customer_id, type: S}
sort_key: {name: order_id, type: S}
billing: provisioned
capacity: {read: 10, write: 5}
global_indexes:
  - name: by_status
    partition_key: {name: status, type: S}
    sort_key: {name: created_at, type: N}
    projection: {include: [currency, total]}
    capacity: {read: 2, write: 1}
local_indexes:
  - name: by_created
    sort_key: {name: created_at, type: N}
    projection: keys_only
ttl: expires_at
stream: new_and_old_images
table_class: standard_infrequent_access
deletion_protection: true
tags:
  cost-center: 42
  team: payments
)");
}

TEST(RenderTest, DefaultsAreLeftOutOfYamlButSpelledOutInJson) {
  pb::DynamoTable t;
  ASSERT_TRUE(TextFormat::ParseFromString(R"pb(
    name: "carts" key { partition_key: "id" }
    attributes { name: "id" type: DYNAMO_ATTRIBUTE_TYPE_S }
    billing_mode: DYNAMO_BILLING_MODE_PAY_PER_REQUEST
    stream: DYNAMO_STREAM_DISABLED table_class: DYNAMO_TABLE_CLASS_STANDARD
  )pb", &t));
  EXPECT_EQ(RenderTableYaml(t),
            "table: carts\npartition_key: {name: id, type: S}\nbilling: pay_per_request\n");
  EXPECT_EQ(RenderCreateTable(t).dump(),
            R"({"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],)"
            R"("TableName":"carts","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],)"
            R"("BillingMode":"PAY_PER_REQUEST","TableClass":"STANDARD",)"
            R"("DeletionProtectionEnabled":false})");
}

void ExpectRoundTrip(const pb::DynamoTable& t, const std::string& text, const char* file,
                     uint64_t seed) {
  Result<pb::DynamoTable> back = ParseTableFile(text, file);
  ASSERT_TRUE(back.ok()) << "seed " << seed << ": " << back.status().ToString() << "\n" << text;
  ASSERT_TRUE(MessageDifferencer::Equals(t, *back))
      << "seed " << seed << "\n" << text << "\nexpected:\n" << t.DebugString() << "actual:\n"
      << back->DebugString();
  // What the loaders produce is a table the log accepts: no UNSPECIFIED anywhere.
  pb::DynamoChange create;
  *create.mutable_create_table()->mutable_table() = *back;
  ASSERT_TRUE(ValidateDynamoChange(create).ok()) << ValidateDynamoChange(create).ToString();
}

TEST(RenderPropertyTest, CreateTableJsonRoundTrips) {
  for (uint64_t seed = 1; seed <= kRoundTripTables; ++seed) {
    pb::DynamoTable t = testing::RandomTable(seed).Table();
    ExpectRoundTrip(t, RenderCreateTableText(t), "t.json", seed);
    if (HasFatalFailure()) return;
  }
}

TEST(RenderPropertyTest, FriendlyYamlRoundTrips) {
  for (uint64_t seed = 1; seed <= kRoundTripTables; ++seed) {
    pb::DynamoTable t = testing::RandomTable(seed).Table();
    ExpectRoundTrip(t, RenderTableYaml(t), "t.yaml", seed);
    if (HasFatalFailure()) return;
  }
}

TEST(RenderPropertyTest, GeneratorCoversTheInterestingCases) {
  int provisioned = 0, lsis = 0, max_gsis = 0, include = 0, ttl = 0, tags = 0;
  for (uint64_t seed = 1; seed <= kRoundTripTables; ++seed) {
    pb::DynamoTable t = testing::RandomTable(seed).Table();
    provisioned += t.billing_mode() == pb::DYNAMO_BILLING_MODE_PROVISIONED;
    lsis += t.local_indexes_size() == 5;
    max_gsis += t.global_indexes_size() == 20;
    for (const auto& g : t.global_indexes()) {
      include += g.projection().type() == pb::DYNAMO_PROJECTION_TYPE_INCLUDE;
    }
    ttl += !t.ttl_attribute().empty();
    tags += !t.tags().empty();
  }
  EXPECT_GT(provisioned, kRoundTripTables / 4);
  EXPECT_GT(lsis, 10);
  EXPECT_GT(max_gsis, 10);
  EXPECT_GT(include, kRoundTripTables / 4);
  EXPECT_GT(ttl, kRoundTripTables / 4);
  EXPECT_GT(tags, kRoundTripTables / 2);
}

TEST(RenderTest, EnumNames) {
  EXPECT_EQ(StreamViewTypeName(pb::DYNAMO_STREAM_DISABLED), "DISABLED");
  EXPECT_EQ(BillingModeName(pb::DYNAMO_BILLING_MODE_UNSPECIFIED), "UNSPECIFIED");
  EXPECT_EQ(TableClassName(pb::DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS),
            "STANDARD_INFREQUENT_ACCESS");
  EXPECT_EQ(ProjectionTypeName(pb::DYNAMO_PROJECTION_TYPE_KEYS_ONLY), "KEYS_ONLY");
  EXPECT_EQ(AttributeTypeName(pb::DYNAMO_ATTRIBUTE_TYPE_B), "B");
}

}  // namespace
}  // namespace strata::dynamodb
