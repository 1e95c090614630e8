// A project and a DynamoDB server for tests of the strata binary's DynamoDB commands.
//
// The server is the "moto" fixture's (signatures checked, so strata gets the fixture user's
// keys) behind a fault proxy of the test's own in DynamoDB mode (tests/support/fault_proxy.py):
// by default without delays, so it only adds the service's refusals and its way of listing
// attribute definitions; a suite can ask for transient statuses or a target without tagging.
// All tests share one moto and every test sees every table: each fixture gives its tables a
// prefix of its own (T("orders") is "c<pid>_<n>_orders"), looks only at those, and deletes them
// when it ends. The project has one target, "local", at the proxy; the test's own calls (Must,
// Exists, ...) go through it too, as changes made behind strata's back would.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/aws/session.h"
#include "integration/dynamodb/moto_dynamodb.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/moto.h"
#include "tests/support/strata_runner.h"

namespace strata::testing {

class DynamoCliTest : public ::testing::Test {
 protected:
  static DynamoDbProxy::Options NoDelays() { return {.delay_seconds = 0}; }

  explicit DynamoCliTest(const DynamoDbProxy::Options& proxy = NoDelays())
      : proxy_(proxy), endpoint_(proxy_.url()), keys_(LoadMotoIdentity()) {
    static std::atomic<int> counter{0};
    prefix_ = "c" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_";
    WriteFile("strata.yaml",
              "version: 1\n"
              "schemas:\n"
              "  dynamodb: { engine: dynamodb, path: schema/dynamodb }\n"
              "targets:\n"
              "  local: { engine: dynamodb, region: us-east-1, endpoint: \"" +
                  endpoint_ + "\" }\n");
    std::filesystem::create_directories(work_ / "schema/dynamodb");
    aws::SessionOptions o;
    o.getenv = [keys = keys_](const std::string& name) -> std::optional<std::string> {
      if (name == "AWS_ACCESS_KEY_ID") return keys.access_key_id;
      if (name == "AWS_SECRET_ACCESS_KEY") return keys.secret_access_key;
      return std::nullopt;
    };
    o.home_dir = "/nonexistent/strata-test";
    o.region = "us-east-1";
    o.endpoint_url = endpoint_;
    auto session = aws::Session::Open(o);
    if (!session.ok()) {
      ADD_FAILURE() << session.status().ToString();
      return;
    }
    session_ = std::move(session).value();
    auto ddb = session_->Json("dynamodb");
    if (!ddb.ok()) {
      ADD_FAILURE() << ddb.status().ToString();
      return;
    }
    ddb_ = std::move(ddb).value();
  }

  ~DynamoCliTest() override {
    // Straight to moto: the proxy would refuse to delete a table that still has replicas.
    proxy_.Control({{"enabled", false}});
    for (const auto& name : LiveTables()) {
      (void)Call("UpdateTable", {{"TableName", name}, {"DeletionProtectionEnabled", false}});
      (void)Call("DeleteTable", {{"TableName", name}});
    }
  }

  // This test's name for a table.
  std::string T(const std::string& name) const { return prefix_ + name; }

  // The environment users would have: credentials, no AWS config files, no terminal colours.
  std::vector<std::string> Environment() const {
    return {"PATH=/usr/bin:/bin",
            "NO_COLOR=1",
            "HOME=" + work_.path(),
            "AWS_ACCESS_KEY_ID=" + keys_.access_key_id,
            "AWS_SECRET_ACCESS_KEY=" + keys_.secret_access_key,
            "STRATA_ACTOR_NAME=alice",
            "STRATA_ACTOR_EMAIL=alice@example.com",
            "STRATA_POLL_INTERVAL_MS=50"};
  }

  StrataRun Strata(const std::vector<std::string>& args) const {
    return RunStrata(args, Environment(), work_.path());
  }

  // A DynamoDB call that must succeed; the output document (null after a test failure).
  nlohmann::json Must(const std::string& operation, const nlohmann::json& input) {
    auto r = Call(operation, input);
    if (!r.ok()) {
      ADD_FAILURE() << operation << ": " << r.status().ToString();
      return nlohmann::json();
    }
    return *r;
  }
  Result<nlohmann::json> Call(const std::string& operation, const nlohmann::json& input) {
    if (!ddb_) return Status::Internal("no DynamoDB client");
    return ddb_->Call(operation, input, nullptr);
  }

  bool Exists(const std::string& table) {
    aws::ServiceError error;
    auto r = ddb_->Call("DescribeTable", {{"TableName", table}}, &error);
    if (r.ok()) return (*r)["Table"]["TableStatus"] != "DELETING";
    EXPECT_EQ(error.code, "ResourceNotFoundException") << r.status().ToString();
    return false;
  }

  // Creates a table keyed by `pk` (S) on demand, or with the given CreateTable input.
  void CreateTable(const std::string& table) {
    Must("CreateTable",
         {{"TableName", table},
          {"AttributeDefinitions", {{{"AttributeName", "pk"}, {"AttributeType", "S"}}}},
          {"KeySchema", {{{"AttributeName", "pk"}, {"KeyType", "HASH"}}}},
          {"BillingMode", "PAY_PER_REQUEST"}});
  }

  // This test's live tables.
  std::vector<std::string> LiveTables() {
    std::vector<std::string> names;
    if (!ddb_) return names;
    nlohmann::json input = nlohmann::json::object();
    while (true) {
      auto r = ddb_->Call("ListTables", input, nullptr);
      if (!r.ok()) break;
      for (const auto& n : (*r)["TableNames"]) {
        if (n.get<std::string>().rfind(prefix_, 0) == 0) names.push_back(n);
      }
      if (!r->contains("LastEvaluatedTableName")) break;
      input["ExclusiveStartTableName"] = (*r)["LastEvaluatedTableName"];
    }
    return names;
  }

  void WriteFile(const std::string& relative, const std::string& text) {
    const std::filesystem::path path = work_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }
  std::string ReadFile(const std::string& relative) const {
    std::ifstream in(work_ / relative, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // A one-table YAML file keyed by `pk` (S), on demand.
  void WriteSimpleTableFile(const std::string& table) {
    WriteFile("schema/dynamodb/" + table + ".yaml",
              "table: " + table + "\npartition_key: { name: pk, type: S }\n");
  }

  DynamoDbProxy proxy_;
  std::string endpoint_;
  MotoIdentity keys_;
  TempDir work_;
  std::string prefix_;
  std::unique_ptr<aws::Session> session_;
  std::unique_ptr<aws::JsonService> ddb_;
};

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The entry for `name` in a list of JSON objects keyed by "name" (or `key`); null if absent.
inline nlohmann::json Find(const nlohmann::json& list, const std::string& name,
                           const std::string& key = "name") {
  for (const auto& e : list) {
    if (e.contains(key) && e[key] == name) return e;
  }
  return nlohmann::json();
}

}  // namespace strata::testing
