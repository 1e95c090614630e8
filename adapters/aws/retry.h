// The AWS SDKs' "standard" retry mode: which failures are worth another attempt, how long to
// wait before it (exponential backoff with full jitter), and a retry quota shared by all calls of
// a session so that a struggling service is not hammered by every caller at once.
//
// Time and randomness come in as functions, so tests decide both. RetryQuota is thread-safe;
// the free functions are pure.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string_view>

#include "adapters/aws/http.h"

namespace strata::aws {

struct RetryOptions {
  int max_attempts = 3;  // the first attempt included
  std::chrono::milliseconds base_delay{1000};
  std::chrono::milliseconds max_backoff{20000};
  int quota_capacity = 500;
  int retry_cost = 5;
  int timeout_retry_cost = 10;
  int success_refill = 1;  // tokens a first-attempt success puts back
};

enum class RetryKind {
  kNone,        // do not retry: the answer stands
  kThrottling,  // the service asked us to slow down
  kTransient,   // a 5xx or a transient error code
  kTimeout,     // no answer in time
  kConnection,  // no connection
};

// What kind of failure this is. `http_status` is 0 when no answer arrived (see `transport`);
// `code` is the AWS error code without namespace.
RetryKind ClassifyFailure(int http_status, std::string_view code, TransportError transport);
bool IsThrottlingCode(std::string_view code);

// The wait before attempt `attempt` + 1 (attempt counts from 1): a uniformly random share
// (`random01` in [0, 1)) of min(base * 2^(attempt-1), max_backoff).
std::chrono::milliseconds Backoff(const RetryOptions& options, int attempt, double random01);

// Tokens that retries spend and successes give back.
class RetryQuota {
 public:
  explicit RetryQuota(const RetryOptions& options);
  // Takes the cost of one retry of `kind`; false (nothing taken) when the quota is spent.
  // `*cost` receives what was taken, for Refund.
  bool Acquire(RetryKind kind, int* cost);
  // After a call succeeds: gives back what its retry cost (`cost` > 0) or, after a first-attempt
  // success, the success refill; never above capacity.
  void Refund(int cost);
  int available() const;

 private:
  const RetryOptions options_;
  mutable std::mutex mu_;
  int available_;  // guarded by mu_
};

}  // namespace strata::aws
