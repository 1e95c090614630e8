// Point-in-time recovery and resource policies against moto, which holds both (through the
// fault proxy without delays): turned on, changed and off, and each time planning again finds
// nothing to do. moto drops CreateTable's ResourcePolicy, so policies are put on existing
// tables here; CreateTable with a policy, the 15 s block and ENABLING are covered with the
// fake in tests/adapters/dynamodb/execute_test.cc.
#include <gtest/gtest.h>

#include "adapters/dynamodb/execute.h"
#include "adapters/dynamodb/introspect.h"
#include "adapters/dynamodb/plan.h"
#include "adapters/dynamodb/resource_policy.h"
#include "integration/dynamodb/moto_dynamodb.h"
#include "tests/adapters/dynamodb/test_tables.h"

namespace strata::dynamodb {
namespace {

using nlohmann::json;
using strata::testing::DynamoDbProxy;
using strata::testing::MustCall;
using strata::testing::RealClock;
using strata::testing::TestDynamoDb;
using strata::testing::UniqueTable;
using strata::dynamodb::testing::SchemaOfTables;
using strata::dynamodb::testing::SimpleTable;

class DynamoDbTableSettings : public ::testing::Test {
 protected:
  DynamoDbProxy proxy_{{.delay_seconds = 0}};
  TestDynamoDb ddb_{proxy_.url()};
  RealClock clock_;

  LiveTable Live(const std::string& name) {
    auto live = DescribeLiveTable(ddb_, name);
    EXPECT_TRUE(live.ok()) << live.status().ToString();
    return live.ok() && live->has_value() ? **live : LiveTable{};
  }

  Plan PlanFor(const pb::DynamoTable& t) { return strata::testing::PlanTable(ddb_, t); }

  // Plans and executes `t`, then checks that planning again finds nothing.
  std::vector<std::string> Reach(const pb::DynamoTable& t) {
    return strata::testing::ReachTable(ddb_, clock_, t);
  }
};

std::string Policy(const std::string& actions) {
  auto normalized = NormalizeResourcePolicy(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":[)" +
      actions + R"(],"Resource":"*"}]})");
  EXPECT_TRUE(normalized.ok()) << normalized.status().ToString();
  return normalized.ok() ? *normalized : "";
}

TEST_F(DynamoDbTableSettings, RecoveryIsTurnedOnChangedAndOff) {
  pb::DynamoTable t = SimpleTable(UniqueTable("pitr"));
  t.set_point_in_time_recovery_days(7);
  const std::string n = t.name();
  EXPECT_EQ(Reach(t), (std::vector<std::string>{
                          n + ": create table " + n,
                          n + ": turn on point-in-time recovery (7 days)"}));
  EXPECT_EQ(Live(n).table.point_in_time_recovery_days(), 7);
  t.set_point_in_time_recovery_days(35);
  EXPECT_EQ(Reach(t), (std::vector<std::string>{
                          n + ": set the point-in-time recovery period from 7 to 35 days"}));
  t.set_point_in_time_recovery_days(0);
  EXPECT_EQ(Reach(t), (std::vector<std::string>{n + ": turn off point-in-time recovery"}));
  json described = MustCall(ddb_, "DescribeContinuousBackups", {{"TableName", n}});
  EXPECT_EQ(described["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
                     ["PointInTimeRecoveryStatus"],
            "DISABLED");
}

TEST_F(DynamoDbTableSettings, APolicyIsAttachedComparedAsADocumentReplacedAndRemoved) {
  pb::DynamoTable t = SimpleTable(UniqueTable("policy"));
  const std::string n = t.name();
  Reach(t);
  t.set_resource_policy(Policy(R"("dynamodb:GetItem","dynamodb:Query")"));
  EXPECT_EQ(Reach(t), (std::vector<std::string>{n + ": attach a resource policy"}));
  EXPECT_EQ(Live(n).table.resource_policy(), t.resource_policy());

  // The same policy written another way (another key and list order, a single action as a
  // string) is no change, whatever text the server keeps.
  MustCall(ddb_, "PutResourcePolicy",
           {{"ResourceArn", Live(n).arn},
            {"Policy", R"({"Statement":{"Resource":["*"],"Action":["dynamodb:Query","dynamodb:GetItem"],
                "Principal":{"AWS":["arn:aws:iam::123456789012:root"]},"Effect":"Allow"},
                "Version":"2012-10-17"})"}});
  EXPECT_TRUE(PlanFor(t).empty());

  t.set_resource_policy(Policy(R"("dynamodb:GetItem")"));
  EXPECT_EQ(Reach(t), (std::vector<std::string>{n + ": replace the resource policy"}));
  t.set_resource_policy("");
  EXPECT_EQ(Reach(t), (std::vector<std::string>{n + ": remove the resource policy"}));
  EXPECT_EQ(Live(n).table.resource_policy(), "");
}

TEST_F(DynamoDbTableSettings, UnmanagedSettingsOfALiveTableAreNamed) {
  const std::string n = UniqueTable("sse");
  MustCall(ddb_, "CreateTable",
           {{"TableName", n},
            {"AttributeDefinitions", {{{"AttributeName", "pk"}, {"AttributeType", "S"}}}},
            {"KeySchema", {{{"AttributeName", "pk"}, {"KeyType", "HASH"}}}},
            {"BillingMode", "PAY_PER_REQUEST"},
            {"SSESpecification", {{"Enabled", true}, {"SSEType", "KMS"}}}});
  // Encryption is a setting strata manages: not named.
  EXPECT_EQ(Live(n).unmanaged, std::vector<std::string>{});
  proxy_.Control({{"describe_extra", {{n, {{"MultiRegionConsistency", "EVENTUAL"}}}}}});
  EXPECT_EQ(Live(n).unmanaged, std::vector<std::string>{"MultiRegionConsistency"});
  const std::string plain = UniqueTable("plain");
  Reach(SimpleTable(plain));
  EXPECT_EQ(Live(plain).unmanaged, std::vector<std::string>{})
      << "moto's default warm throughput is not a setting anyone made";
}

}  // namespace
}  // namespace strata::dynamodb
