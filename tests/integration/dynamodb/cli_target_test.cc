// Reaching a DynamoDB target from the strata binary: an endpoint nobody listens on gives a
// clear message naming it and exit 1; the AWS environment alone works without strata.yaml.
#include <gtest/gtest.h>

#include <filesystem>

#include "integration/dynamodb/cli_fixture.h"

namespace strata::testing {
namespace {

using json = nlohmann::json;

class CliTargetTest : public DynamoCliTest {};

TEST_F(CliTargetTest, AnUnreachableEndpointIsAClearErrorAndExitOne) {
  // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
  StrataRun r = Strata({"list", "--endpoint-url", "http://127.0.0.1:1", "--target", "local"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(
      Contains(r.err, "strata: error: reading the tables of target local (http://127.0.0.1:1"))
      << r;
  EXPECT_TRUE(r.out.empty()) << r;
}

TEST_F(CliTargetTest, WithoutATargetTheAwsEnvironmentIsUsed) {
  CreateTable(T("env"));
  std::filesystem::remove(work_ / "strata.yaml");
  std::vector<std::string> env = Environment();
  env.push_back("AWS_ENDPOINT_URL_DYNAMODB=" + endpoint_);
  env.push_back("AWS_REGION=us-east-1");
  StrataRun r = RunStrata({"--json", "list"}, env, work_.path());
  ASSERT_EQ(r.code, 0) << r;
  json doc = r.Json();
  EXPECT_TRUE(doc["target"]["name"].is_null());
  EXPECT_EQ(doc["target"]["endpoint"], endpoint_);
  EXPECT_TRUE(Find(doc["tables"], T("env")).is_object()) << doc.dump(2);
}

TEST_F(CliTargetTest, SeveralDynamoTargetsNeedTarget) {
  WriteFile("strata.yaml",
            "version: 1\ntargets:\n  a: { engine: dynamodb, region: us-east-1, endpoint: \"" +
                endpoint_ + "\" }\n  b: { engine: dynamodb, region: us-east-1 }\n");
  StrataRun r = Strata({"list"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(Contains(r.err, "several dynamodb targets (a, b); choose one with --target")) << r;
  EXPECT_EQ(Strata({"list", "--target", "a"}).code, 0);
}

}  // namespace
}  // namespace strata::testing
