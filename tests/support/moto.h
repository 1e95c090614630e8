// The moto server of the "moto" CTest fixture (tests/support/moto_server.sh) as the tests see
// it: its endpoint (the port it was given, read from the fixture directory), the IAM user's keys
// and ARNs, and SessionOptions over a fake environment that never reaches beyond 127.0.0.1
// (instance metadata is switched off). moto checks every request's signature, so only these
// keys work.
//
// The test binary must define STRATA_TEST_MOTO_DIR (the fixture's state directory).
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <unistd.h>

#include "adapters/aws/config_file.h"
#include "adapters/aws/session.h"
#include "tests/support/ports.h"

namespace strata::testing {

inline std::string MotoEndpoint() { return LoopbackUrl(ReadPortFile(STRATA_TEST_MOTO_DIR)); }

inline std::string ReadTextFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct MotoIdentity {
  std::string access_key_id;
  std::string secret_access_key;
  std::string user_arn;
  std::string role_arn;
  std::string account;
};

inline MotoIdentity LoadMotoIdentity() {
  MotoIdentity id;
  std::string dir = STRATA_TEST_MOTO_DIR;
  auto file = aws::ParseConfigFile(ReadTextFile(dir + "/credentials"), "credentials",
                                   aws::ConfigFileKind::kCredentials);
  if (!file.ok() || file->profiles.count("default") == 0) {
    ADD_FAILURE() << "no moto credentials in " << dir << " (is the moto fixture running?)";
    return id;
  }
  id.access_key_id = file->profiles["default"].values["aws_access_key_id"];
  id.secret_access_key = file->profiles["default"].values["aws_secret_access_key"];
  auto identity = nlohmann::json::parse(ReadTextFile(dir + "/identity.json"), nullptr, false);
  if (identity.is_object()) {
    id.user_arn = identity.value("user_arn", "");
    id.role_arn = identity.value("role_arn", "");
    id.account = identity.value("account", "");
  }
  return id;
}

// A fake process environment for a Session.
class FakeEnv {
 public:
  FakeEnv() {
    vars_["AWS_EC2_METADATA_DISABLED"] = "true";
    vars_["AWS_CONFIG_FILE"] = "/nonexistent/strata-test/config";
    vars_["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/strata-test/credentials";
  }
  FakeEnv& Set(const std::string& name, std::string value) {
    vars_[name] = std::move(value);
    return *this;
  }
  FakeEnv& Unset(const std::string& name) {
    vars_.erase(name);
    return *this;
  }
  aws::GetEnv Getter() const {
    auto vars = vars_;
    return [vars](const std::string& name) -> std::optional<std::string> {
      auto it = vars.find(name);
      if (it == vars.end()) return std::nullopt;
      return it->second;
    };
  }

 private:
  std::map<std::string, std::string> vars_;
};

// Options for a session that calls moto with the test user's keys from the environment.
inline aws::SessionOptions MotoSessionOptions(const MotoIdentity& id, FakeEnv env = FakeEnv()) {
  env.Set("AWS_ACCESS_KEY_ID", id.access_key_id)
      .Set("AWS_SECRET_ACCESS_KEY", id.secret_access_key)
      .Set("AWS_ENDPOINT_URL", MotoEndpoint());
  aws::SessionOptions options;
  options.getenv = env.Getter();
  options.home_dir = "/nonexistent/strata-test";
  options.region = "us-east-1";
  return options;
}

// A name no other test (or earlier run against the same server) uses.
inline std::string UniqueName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + "_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
}

}  // namespace strata::testing
