// Test access to DynamoDB Local (tests/support/dynamodb_local.sh) through the aws core's
// Session, exactly as the cli reaches DynamoDB, plus unique table names so tests can share one
// server.
//
// DynamoDB Local accepts any credentials whose key ID is letters and digits only; the session
// gets fixed test keys and a region from its own environment map (never the process's), and
// the server as its endpoint.
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

#include "adapters/aws/json_service.h"
#include "adapters/aws/session.h"
#include "adapters/dynamodb/execute.h"

namespace strata::testing {

class LocalJsonService : public aws::JsonService {
 public:
  // `access_key_id` other than letters and digits is refused by DynamoDB Local.
  explicit LocalJsonService(int port, std::string access_key_id = "strataTest") {
    const std::map<std::string, std::string> env = {{"AWS_ACCESS_KEY_ID", access_key_id},
                                                    {"AWS_SECRET_ACCESS_KEY", "strataTestSecret"}};
    aws::SessionOptions options;
    options.getenv = [env](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
    options.home_dir = "/nonexistent/strata-test";
    options.region = "us-east-1";
    options.endpoint_url = fmt::format("http://127.0.0.1:{}", port);
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

// Calls the service directly (a change made behind strata's back), failing the test on error.
inline nlohmann::json MustCall(aws::JsonService& ddb, std::string_view operation,
                               const nlohmann::json& input) {
  auto out = ddb.Call(operation, input, nullptr);
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? *out : nlohmann::json();
}

}  // namespace strata::testing
