// Test access to DynamoDB Local (tests/support/dynamodb_local.sh) through the JsonService
// seam, plus unique table names so tests can share one server.
//
// LocalJsonService is a minimal awsJson1.0 client over libcurl for the test servers only:
// DynamoDB Local accepts any credentials, so requests carry a fixed, unsigned Authorization
// header. Each call uses its own curl handle, so it is thread-safe. Like the AWS SDKs (and the
// aws core), it retries answers with a 5xx status a few times with backoff: DynamoDB Local
// now and then answers InternalFailure when many requests arrive at once. The adapter's own
// code never sees this class, only the JsonService interface; production traffic goes
// through the aws core's signed client.
#pragma once

#include <curl/curl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>

#include "adapters/aws/json_service.h"
#include "adapters/dynamodb/execute.h"

namespace strata::testing {

class LocalJsonService : public aws::JsonService {
 public:
  explicit LocalJsonService(int port) : url_(fmt::format("http://127.0.0.1:{}/", port)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  Result<nlohmann::json> Call(std::string_view operation, const nlohmann::json& input,
                              aws::ServiceError* error) override {
    std::string body = input.dump(), answer;
    long status = 0;
    CURLcode rc = CURLE_OK;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
      if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100 << attempt));
      answer.clear();
      rc = Post(operation, body, &answer, &status);
      if (rc == CURLE_OK && status < 500) break;
    }
    if (rc != CURLE_OK) {
      if (error != nullptr) *error = aws::ServiceError{};
      return Status::Unavailable(
          fmt::format("dynamodb {}: {} ({})", operation, curl_easy_strerror(rc), url_));
    }
    nlohmann::json out = nlohmann::json::parse(answer, nullptr, false);
    if (status == 200 && !out.is_discarded()) return out;
    aws::ServiceError e;
    e.http_status = static_cast<int>(status);
    if (out.is_object()) {
      std::string type = out.value("__type", "");
      e.code = type.substr(type.find('#') == std::string::npos ? 0 : type.find('#') + 1);
      e.message = out.value("Message", out.value("message", ""));
    }
    if (error != nullptr) *error = e;
    return Status(status >= 500 ? Code::kUnavailable : Code::kFailedPrecondition,
                  fmt::format("dynamodb {}: {}: {}", operation, e.code, e.message));
  }

  std::string_view service() const override { return "dynamodb"; }

 private:
  static constexpr int kAttempts = 4;

  static size_t Append(char* data, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
  }

  CURLcode Post(std::string_view operation, const std::string& body, std::string* answer,
                long* status) {
    CURL* curl = curl_easy_init();
    curl_slist* headers = nullptr;
    const std::string target = fmt::format("X-Amz-Target: DynamoDB_20120810.{}", operation);
    headers = curl_slist_append(headers, target.c_str());
    headers = curl_slist_append(headers, "Content-Type: application/x-amz-json-1.0");
    headers = curl_slist_append(
        headers,
        "Authorization: AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/dynamodb/"
        "aws4_request, SignedHeaders=host, Signature=0");
    curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &LocalJsonService::Append);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, answer);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return rc;
  }

  std::string url_;
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
    o.wait = wait;
    o.poll_interval_ms = 250;
    o.wait_timeout_ms = 5 * 60 * 1000;
    o.sleep = Sleep();
    o.now_ms = Now();
    return o;
  }
  dynamodb::DropOptions Drop(bool lift, bool wait = true) {
    dynamodb::DropOptions o;
    o.lift_protection = lift;
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
