// Credential chain pieces for real, judged by moto: a profile that assumes a role (a session
// token on every later call), a credential_process program, the container credentials endpoint
// and instance metadata (tests/support/credentials_server.py standing in for both).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "adapters/aws/session.h"
#include "tests/support/local_server.h"
#include "tests/support/moto.h"

namespace strata::aws {
namespace {

namespace fs = std::filesystem;
using testing::FakeEnv;
using testing::LocalServer;

class CredentialsMotoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    id_ = testing::LoadMotoIdentity();
    dir_ = fs::temp_directory_path() / testing::UniqueName("strata-aws-creds");
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text, fs::perms perms) {
    fs::path path = dir_ / name;
    std::ofstream(path) << text;
    fs::permissions(path, perms);
    return path.string();
  }

  // A session with no keys in its environment: the source under test must supply them.
  std::unique_ptr<Session> Open(FakeEnv env, const std::string& profile = "") {
    env.Set("AWS_ENDPOINT_URL", testing::MotoEndpoint());
    SessionOptions options;
    options.getenv = env.Getter();
    options.home_dir = dir_.string();
    options.region = "us-east-1";
    options.profile = profile;
    auto session = Session::Open(options);
    EXPECT_TRUE(session.ok()) << session.status().ToString();
    return session.ok() ? std::move(*session) : nullptr;
  }

  void ExpectGlueWorks(Session& session) {
    auto got = (*session.Json("glue"))->Call("GetDatabases", nlohmann::json::object(), nullptr);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
  }

  std::string KeysJson(const std::string& auth_token) {
    return nlohmann::json{{"AccessKeyId", id_.access_key_id},
                          {"SecretAccessKey", id_.secret_access_key},
                          {"AuthToken", auth_token}}
        .dump();
  }

  testing::MotoIdentity id_;
  fs::path dir_;
};

TEST_F(CredentialsMotoTest, ProfileAssumesRoleAndCallsCarryTheSessionToken) {
  std::string credentials = Write("credentials",
                                  "[base]\naws_access_key_id = " + id_.access_key_id +
                                      "\naws_secret_access_key = " + id_.secret_access_key + "\n",
                                  fs::perms::owner_read | fs::perms::owner_write);
  std::string config = Write("config",
                             "[profile admin]\nrole_arn = " + id_.role_arn +
                                 "\nsource_profile = base\nrole_session_name = strata-it\n",
                             fs::perms::owner_read | fs::perms::owner_write);
  FakeEnv env;
  env.Set("AWS_SHARED_CREDENTIALS_FILE", credentials).Set("AWS_CONFIG_FILE", config);
  auto session = Open(env, "admin");
  ASSERT_NE(session, nullptr);
  auto resolved = session->ResolveCredentials();
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_FALSE(resolved->session_token.empty());
  EXPECT_NE(resolved->access_key_id, id_.access_key_id);
  EXPECT_TRUE(resolved->expiration.has_value());
  auto caller = session->Caller();
  ASSERT_TRUE(caller.ok()) << caller.status().ToString();
  EXPECT_NE(caller->arn.find(":assumed-role/strata-test-role/strata-it"), std::string::npos)
      << caller->arn;
  ExpectGlueWorks(*session);
}

TEST_F(CredentialsMotoTest, CredentialProcessProgramSuppliesTheKeys) {
  std::string script = Write(
      "creds.sh",
      "#!/bin/sh\nprintf '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\"}' " +
          id_.access_key_id + " " + id_.secret_access_key + "\n",
      fs::perms::owner_all);
  std::string config = Write("config", "[default]\ncredential_process = " + script + "\n",
                             fs::perms::owner_read | fs::perms::owner_write);
  FakeEnv env;
  env.Set("AWS_CONFIG_FILE", config).Set("PATH", "/usr/bin:/bin");
  auto session = Open(env);
  ASSERT_NE(session, nullptr);
  auto caller = session->Caller();
  ASSERT_TRUE(caller.ok()) << caller.status().ToString();
  EXPECT_EQ(caller->arn, id_.user_arn);
}

TEST_F(CredentialsMotoTest, FailingCredentialProcessSaysWhichProfileAndWhy) {
  std::string script = Write("fail.sh", "#!/bin/sh\necho 'token expired, run login' >&2\nexit 3\n",
                             fs::perms::owner_all);
  std::string config = Write("config", "[default]\ncredential_process = " + script + "\n",
                             fs::perms::owner_read | fs::perms::owner_write);
  FakeEnv env;
  env.Set("AWS_CONFIG_FILE", config);
  auto session = Open(env);
  ASSERT_NE(session, nullptr);
  auto got = (*session->Json("glue"))->Call("GetDatabases", nlohmann::json::object(), nullptr);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "glue GetDatabases: credential_process of profile default (" + config +
                ":1) exited with status 3: token expired, run login");
}

TEST_F(CredentialsMotoTest, ContainerEndpointWithAuthorizationTokenFile) {
  LocalServer server("credentials_server.py",
                     {"--keys", Write("keys.json", KeysJson("container-auth"), fs::perms::owner_read)});
  FakeEnv env;
  env.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/creds")
      .Set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
           Write("token", "container-auth\n", fs::perms::owner_read));
  auto session = Open(env);
  ASSERT_NE(session, nullptr);
  auto resolved = session->ResolveCredentials();
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_EQ(resolved->source, "container credentials from " + server.url() + "/creds");
  ExpectGlueWorks(*session);
}

TEST_F(CredentialsMotoTest, ContainerEndpointRefusingTheTokenIsAnError) {
  LocalServer server("credentials_server.py",
                     {"--keys", Write("keys.json", KeysJson("container-auth"), fs::perms::owner_read)});
  FakeEnv env;
  env.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/creds")
      .Set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong");
  auto session = Open(env);
  ASSERT_NE(session, nullptr);
  auto resolved = session->ResolveCredentials();
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.status().message(),
            "container credentials from " + server.url() + "/creds: HTTP 401");
}

TEST_F(CredentialsMotoTest, InstanceMetadataV2) {
  LocalServer server("credentials_server.py",
                     {"--keys", Write("keys.json", KeysJson("unused"), fs::perms::owner_read)});
  FakeEnv env;
  env.Unset("AWS_EC2_METADATA_DISABLED").Set("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url());
  auto session = Open(env);
  ASSERT_NE(session, nullptr);
  auto resolved = session->ResolveCredentials();
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_EQ(resolved->source, "instance metadata at " + server.url() + " (role test-role)");
  ExpectGlueWorks(*session);
}

TEST_F(CredentialsMotoTest, NoSourceAtAllGivesTheHelpfulMessage) {
  auto session = Open(FakeEnv());
  ASSERT_NE(session, nullptr);
  auto got = (*session->Json("glue"))->Call("GetDatabases", nlohmann::json::object(), nullptr);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), Code::kNotFound);
  EXPECT_NE(got.status().message().find("no AWS credentials found: set AWS_ACCESS_KEY_ID and "
                                        "AWS_SECRET_ACCESS_KEY, AWS_PROFILE or --profile"),
            std::string::npos)
      << got.status().message();
}

}  // namespace
}  // namespace strata::aws
