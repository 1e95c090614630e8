// The actor of a deployment commit carries the caller's ARN from STS GetCallerIdentity, asked of
// moto (which checks every signature), and nothing is asked of AWS's own STS when the target
// points at a local endpoint.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/moto.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/strata_runner.h"

namespace strata::testing {
namespace {

class DeployActorTest : public ::testing::Test {
 protected:
  DeployActorTest() : id_(LoadMotoIdentity()) {
    Write("strata.yaml", "version: 1\nschemas:\n  dynamodb: { engine: dynamodb, path: schema/dynamodb }\n"
                         "targets:\n  moto: { engine: dynamodb, region: us-east-1, endpoint: \"" +
                             MotoEndpoint() + "\" }\n");
    table_ = "actor_" + std::to_string(::getpid());
    Write("schema/dynamodb/t.yaml", "table: " + table_ + "\npartition_key: { name: pk, type: S }\n");
  }
  void Write(const std::string& rel, const std::string& text) {
    auto path = std::filesystem::path(dir_.path()) / rel;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }
  std::vector<std::string> Env(bool sts_at_moto) const {
    std::vector<std::string> env = {"PATH=/usr/bin:/bin", "HOME=" + dir_.path(), "NO_COLOR=1",
                                    "AWS_ACCESS_KEY_ID=" + id_.access_key_id,
                                    "AWS_SECRET_ACCESS_KEY=" + id_.secret_access_key,
                                    "AWS_EC2_METADATA_DISABLED=true", "STRATA_ACTOR_NAME=ci",
                                    "STRATA_POLL_INTERVAL_MS=50"};
    if (sts_at_moto) env.push_back("AWS_ENDPOINT_URL_STS=" + MotoEndpoint());
    return env;
  }

  MotoIdentity id_;
  TempDir dir_;
  std::string table_;
};

TEST_F(DeployActorTest, TheDeploymentRecordsTheCallersArnFromSts) {
  ASSERT_FALSE(id_.user_arn.empty());
  StrataRun r = RunStrata({"--json", "push", "--target", "moto"}, Env(true), dir_.path());
  ASSERT_EQ(r.code, 0) << r;
  auto j = r.Json();
  EXPECT_EQ(j["applied"]["outcome"], "succeeded") << r;
  EXPECT_EQ(j["applied"]["actor"]["cloud_principal"], id_.user_arn) << r;
  EXPECT_EQ(j["applied"]["actor"]["name"], "ci");
  EXPECT_EQ(r.out.find(id_.secret_access_key), std::string::npos);
  EXPECT_EQ(r.err.find(id_.secret_access_key), std::string::npos);
}

TEST_F(DeployActorTest, WithoutAnStsEndpointALocalTargetRecordsNoPrincipal) {
  // STS would be AWS's public endpoint: strata must not ask it (and the test has no internet).
  StrataRun r = RunStrata({"--json", "push", "--target", "moto"}, Env(false), dir_.path());
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.Json()["applied"]["actor"]["cloud_principal"], "") << r;
}

}  // namespace
}  // namespace strata::testing
