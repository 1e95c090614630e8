// The SDKs' "standard" retry mode: up to max_attempts tries; retry on throttling, transient
// errors, HTTP 500/502/503/504 and connections that failed; exponential backoff with full
// jitter (random(0,1) x 2^attempt seconds, capped at 20 s); and a retry quota shared by a
// client's calls (500 tokens, 5 per retry, 10 after a timeout, given back on success), so an
// outage does not multiply the load. Thread-safe.
#pragma once

#include <functional>
#include <mutex>
#include <string>

namespace strata::aws {

// True for AWS error codes that mean "slow down".
bool IsThrottlingCode(const std::string& code);
// True for codes and statuses the standard mode retries (throttling included).
bool IsRetryable(int http_status, const std::string& code, bool no_response);

struct RetryOptions {
  int max_attempts = 3;
  std::function<double()> random;  // uniform in [0, 1)
};

class RetryQuota {
 public:
  // Takes the cost of one retry; false when the quota is spent (do not retry).
  bool Acquire(bool timeout);
  // A call succeeded: give back what its retries took (or 1 token when it needed none).
  void Release(int acquired_cost);
  int available() const;

 private:
  mutable std::mutex mu_;
  int tokens_ = 500;
};

// Seconds to wait before attempt `attempt` (1 = the first retry).
double BackoffSeconds(int attempt, double random);

}  // namespace strata::aws
