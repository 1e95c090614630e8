// Test access to DynamoDB on the "moto" fixture's server (tests/support/moto_server.sh), or on
// a fault proxy in DynamoDB mode in front of it (tests/support/fault_proxy.py), through the aws
// core's Session, exactly as the cli reaches DynamoDB; plus unique table names, so tests can
// share one server, and a real clock for waits.
//
// moto checks every signature: the session signs with the fixture's IAM user unless a test
// gives other keys. The session's environment is its own map, never the process's.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "adapters/aws/http.h"
#include "adapters/aws/json_service.h"
#include "adapters/aws/session.h"
#include "adapters/dynamodb/execute.h"
#include "adapters/dynamodb/introspect.h"
#include "adapters/dynamodb/plan.h"
#include "tests/support/local_server.h"
#include "tests/support/moto.h"

namespace strata::testing {

class TestDynamoDb : public aws::JsonService {
 public:
  // The fixture's moto server with the test user's keys.
  TestDynamoDb() : TestDynamoDb(MotoEndpoint()) {}
  explicit TestDynamoDb(const std::string& endpoint)
      : TestDynamoDb(endpoint, LoadMotoIdentity()) {}
  TestDynamoDb(const std::string& endpoint, const MotoIdentity& keys) {
    const std::map<std::string, std::string> env = {
        {"AWS_ACCESS_KEY_ID", keys.access_key_id},
        {"AWS_SECRET_ACCESS_KEY", keys.secret_access_key}};
    aws::SessionOptions options;
    options.getenv = [env](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
    options.home_dir = "/nonexistent/strata-test";
    options.region = "us-east-1";
    options.endpoint_url = endpoint;
    auto session = aws::Session::Open(options);
    if (!session.ok()) {
      ADD_FAILURE() << session.status().ToString();
      return;
    }
    session_ = std::move(*session);
    auto service = session_->Json("dynamodb");
    if (!service.ok()) {
      ADD_FAILURE() << service.status().ToString();
      return;
    }
    service_ = std::move(*service);
  }

  Result<nlohmann::json> Call(std::string_view operation, const nlohmann::json& input,
                              aws::ServiceError* error) override {
    if (service_ == nullptr) return Status::Internal("no dynamodb session");
    return service_->Call(operation, input, error);
  }
  std::string_view service() const override { return "dynamodb"; }

 private:
  std::unique_ptr<aws::Session> session_;
  std::unique_ptr<aws::JsonService> service_;
};

// tests/support/fault_proxy.py in DynamoDB mode in front of the fixture's moto: tables and
// indexes stay in their transient statuses for `delay_seconds` after a change, one index change
// per table at a time, and the service's refusals (see the script's header). Stopped with the
// test.
class DynamoDbProxy {
 public:
  struct Options {
    double delay_seconds = 3;
    bool no_tagging = false;  // answer the tagging calls as an emulator without tagging does
  };
  DynamoDbProxy() : DynamoDbProxy(Options{}) {}
  explicit DynamoDbProxy(const Options& options)
      : server_("fault_proxy.py", Arguments(options)) {}

  std::string url() const { return server_.url(); }

  // What the proxy thinks is in progress, as its control endpoint reports it.
  nlohmann::json State() const { return Get("/__fault/dynamodb"); }
  // Requests and connections counted so far, and DescribeTable calls per table ("described").
  nlohmann::json Stats() const { return Get("/__fault/stats"); }
  // Changes the proxy's DynamoDB settings (e.g. {"describe_extra": {TABLE: {FIELD: VALUE}}} to
  // lay fields moto does not keep over a table's DescribeTable answers); its new state.
  nlohmann::json Control(const nlohmann::json& update) const {
    return Get("/__fault/dynamodb", update.dump());
  }

 private:
  nlohmann::json Get(const std::string& path, const std::string& post_body = "") const {
    auto http = aws::NewCurlHttpClient(aws::HttpOptions{});
    if (!http.ok()) return nullptr;
    aws::HttpRequest request;
    request.url = url() + path;
    if (!post_body.empty()) {
      request.method = "POST";
      request.body = post_body;
    }
    auto response = (*http)->Send(request, nullptr);
    if (!response.ok()) return nullptr;
    return nlohmann::json::parse(response->body, nullptr, false);
  }

  static std::vector<std::string> Arguments(const Options& options) {
    std::vector<std::string> args = {"--upstream", MotoEndpoint(), "--dynamodb", "--delay",
                                     fmt::format("{}", options.delay_seconds)};
    if (options.no_tagging) args.push_back("--no-tagging");
    return args;
  }

  LocalServer server_;
};

// "strata_<pid>_<n>_<what>": unique across the tests sharing a server.
inline std::string UniqueTable(const std::string& what) {
  static std::atomic<int> counter{0};
  return fmt::format("strata_{}_{}_{}", getpid(), counter++, what);
}

// Real time, for waits against a real server.
struct RealClock {
  std::atomic<int> sleeps{0};
  std::function<void(int64_t)> Sleep() {
    return [this](int64_t ms) {
      ++sleeps;
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    };
  }
  static std::function<int64_t()> Now() {
    return [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::steady_clock::now().time_since_epoch())
          .count();
    };
  }
  dynamodb::ExecuteOptions Execute(bool wait = true) {
    dynamodb::ExecuteOptions o;
    return Waits(wait, o);
  }
  dynamodb::DropOptions Drop(bool lift, bool wait = true) {
    dynamodb::DropOptions o;
    o.lift_protection = lift;
    return Waits(wait, o);
  }

 private:
  template <typename Options>  // ExecuteOptions or DropOptions: the same waiting fields
  Options& Waits(bool wait, Options& o) {
    o.wait = wait;
    o.poll_interval_ms = 250;
    o.wait_timeout_ms = 5 * 60 * 1000;
    o.sleep = Sleep();
    o.now_ms = Now();
    return o;
  }
};

// The plan that brings table `t` (managed, alone) from what `ddb` holds now to `t`.
inline dynamodb::Plan PlanTable(aws::JsonService& ddb, const pb::DynamoTable& t) {
  dynamodb::IntrospectOptions only;
  only.only = std::vector<std::string>{t.name()};
  auto live = dynamodb::ListLiveTables(ddb, only);
  EXPECT_TRUE(live.ok()) << live.status().ToString();
  dynamodb::PlanOptions options;
  options.managed = {t.name()};
  pb::DynamoSchema desired;
  (*desired.mutable_tables())[t.name()] = t;
  auto plan = dynamodb::PlanChanges(live.ok() ? *live : std::vector<dynamodb::LiveTable>{},
                                    desired, options);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return plan.ok() ? *plan : dynamodb::Plan{};
}

// Plans and executes table `t`, checks that planning again finds nothing, and returns what
// was done.
inline std::vector<std::string> ReachTable(aws::JsonService& ddb, RealClock& clock,
                                           const pb::DynamoTable& t) {
  dynamodb::ExecuteReport r = dynamodb::Execute(ddb, PlanTable(ddb, t), clock.Execute());
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  dynamodb::Plan again = PlanTable(ddb, t);
  EXPECT_TRUE(again.empty()) << "still planned: "
                             << (again.empty() ? "" : again.tables[0].operations[0].summary);
  return r.done;
}

// Calls the service directly (a change made behind strata's back), failing the test on error.
inline nlohmann::json MustCall(aws::JsonService& ddb, std::string_view operation,
                               const nlohmann::json& input) {
  auto out = ddb.Call(operation, input, nullptr);
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? *out : nlohmann::json();
}

}  // namespace strata::testing
