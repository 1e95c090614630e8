#include "adapters/aws/retry.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace strata::aws {

bool IsThrottlingCode(const std::string& code) {
  static const std::set<std::string> kCodes = {
      "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
      "TooManyRequestsException", "ProvisionedThroughputExceededException",
      "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
      "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
      "EC2ThrottledException"};
  return kCodes.count(code) > 0;
}

bool IsRetryable(int http_status, const std::string& code, bool no_response) {
  if (no_response) return true;
  static const std::set<std::string> kTransient = {"RequestTimeout", "RequestTimeoutException",
                                                   "InternalError", "InternalFailure",
                                                   "ServiceUnavailable"};
  if (IsThrottlingCode(code) || kTransient.count(code)) return true;
  return http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504;
}

bool RetryQuota::Acquire(bool timeout) {
  std::lock_guard<std::mutex> lock(mu_);
  const int cost = timeout ? 10 : 5;
  if (tokens_ < cost) return false;
  tokens_ -= cost;
  return true;
}

void RetryQuota::Release(int acquired_cost) {
  std::lock_guard<std::mutex> lock(mu_);
  tokens_ = std::min(500, tokens_ + (acquired_cost > 0 ? acquired_cost : 1));
}

int RetryQuota::available() const {
  std::lock_guard<std::mutex> lock(mu_);
  return tokens_;
}

double BackoffSeconds(int attempt, double random) {
  return std::min(20.0, random * std::pow(2.0, attempt - 1));
}

}  // namespace strata::aws
