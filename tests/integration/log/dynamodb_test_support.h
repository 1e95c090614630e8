// The DynamoDB log store's tests on moto: a fault proxy of the test's own in front of the
// fixture's moto (forwarding one request at a time: moto checks a condition and then writes
// with no lock between the two), stores opened through it with the test user's keys, and the
// environment a strata process needs to reach it.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "adapters/dynamodb/log_store.h"
#include "integration/dynamodb/moto_dynamodb.h"
#include "tests/support/local_server.h"
#include "tests/support/moto.h"

namespace strata::testing {

// fault_proxy.py --serialize in front of moto, with its per-operation faults.
class SerializingProxy {
 public:
  SerializingProxy()
      : server_("fault_proxy.py", {"--upstream", MotoEndpoint(), "--serialize"}) {}
  std::string url() const { return server_.url(); }

  // POST /__fault/operations with `update`; the proxy's state after it.
  nlohmann::json Operations(const nlohmann::json& update = nullptr) const {
    return Control("/__fault/operations", update);
  }
  // Requests forwarded so far and the like (GET /__fault/stats).
  nlohmann::json Stats() const { return Control("/__fault/stats", nullptr); }

 private:
  nlohmann::json Control(const std::string& path, const nlohmann::json& update) const {
    auto http = aws::NewCurlHttpClient(aws::HttpOptions{});
    if (!http.ok()) return nullptr;
    aws::HttpRequest request;
    request.url = url() + path;
    if (!update.is_null()) {
      request.method = "POST";
      request.body = update.dump();
    }
    auto response = (*http)->Send(request, nullptr);
    if (!response.ok()) return nullptr;
    return nlohmann::json::parse(response->body, nullptr, false);
  }

  LocalServer server_;
};

inline dynamodb::DynamoLogStoreOptions LogOptions(const std::string& table,
                                                  const std::string& log = "test") {
  dynamodb::DynamoLogStoreOptions o;
  o.table = table;
  o.log_id = log;
  o.region_used = "us-east-1";
  o.now_micros = [] { return int64_t{1'772'000'000'000'000}; };
  o.random = [n = uint64_t{0}]() mutable { return ++n; };
  o.sleep_ms = [](int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  o.steady_ms = RealClock::Now();
  o.poll_interval_ms = 100;
  o.wait_timeout_ms = 60'000;
  return o;
}

inline Result<std::unique_ptr<dynamodb::DynamoLogStore>> TryOpenLog(
    const std::string& endpoint, dynamodb::DynamoLogStoreOptions o) {
  o.endpoint_used = endpoint;
  return dynamodb::DynamoLogStore::Open(std::make_unique<TestDynamoDb>(endpoint), std::move(o));
}

inline std::unique_ptr<dynamodb::DynamoLogStore> OpenLog(const std::string& endpoint,
                                                         dynamodb::DynamoLogStoreOptions o) {
  auto s = TryOpenLog(endpoint, std::move(o));
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

// Deletes a log table a test made (strata creates them with deletion protection on), so the
// server's table list stays what other tests expect.
inline void DropLogTable(const std::string& table) {
  TestDynamoDb moto;
  aws::ServiceError error;
  (void)moto.Call("UpdateTable", {{"TableName", table}, {"DeletionProtectionEnabled", false}},
                  &error);
  (void)moto.Call("DeleteTable", {{"TableName", table}}, &error);
}

// The whole environment of a strata process that reaches moto with the test user's keys and
// nothing beyond 127.0.0.1.
inline std::vector<std::string> StrataAwsEnvironment() {
  const MotoIdentity id = LoadMotoIdentity();
  return {"PATH=/usr/bin:/bin",
          "NO_COLOR=1",
          "HOME=/nonexistent/strata-test",
          "AWS_EC2_METADATA_DISABLED=true",
          "AWS_CONFIG_FILE=/nonexistent/strata-test/config",
          "AWS_SHARED_CREDENTIALS_FILE=/nonexistent/strata-test/credentials",
          "AWS_ACCESS_KEY_ID=" + id.access_key_id,
          "AWS_SECRET_ACCESS_KEY=" + id.secret_access_key};
}

// `log:` URL of strata.yaml for `table` behind `endpoint`.
inline std::string LogUrl(const std::string& table, const std::string& log,
                          const std::string& endpoint) {
  return fmt::format("dynamodb://{}?log={}&region=us-east-1&endpoint={}", table, log, endpoint);
}

}  // namespace strata::testing
