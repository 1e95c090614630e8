#include "adapters/aws/retry.h"

#include "adapters/aws/json_service.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace strata::aws {
namespace {

constexpr std::array<std::string_view, 14> kThrottlingCodes = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
};

constexpr std::array<std::string_view, 3> kTransientCodes = {
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
};

}  // namespace

bool IsThrottlingCode(std::string_view code) {
  return std::find(kThrottlingCodes.begin(), kThrottlingCodes.end(), code) !=
         kThrottlingCodes.end();
}

RetryKind ClassifyFailure(int http_status, std::string_view code, TransportError transport) {
  if (http_status == 0) {
    switch (transport) {
      case TransportError::kTimeout:
        return RetryKind::kTimeout;
      case TransportError::kConnect:
      case TransportError::kOther:
        return RetryKind::kConnection;
      case TransportError::kNone:
        return RetryKind::kNone;
    }
  }
  if (code == kHtmlErrorPage) return RetryKind::kNone;  // the same page comes back every time
  if (IsThrottlingCode(code) || http_status == 429) return RetryKind::kThrottling;
  if (std::find(kTransientCodes.begin(), kTransientCodes.end(), code) != kTransientCodes.end()) {
    return RetryKind::kTransient;
  }
  if (http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504) {
    return RetryKind::kTransient;
  }
  return RetryKind::kNone;
}

std::chrono::milliseconds Backoff(const RetryOptions& options, int attempt, double random01) {
  double ceiling = static_cast<double>(options.base_delay.count()) *
                   std::pow(2.0, std::max(0, attempt - 1));
  ceiling = std::min(ceiling, static_cast<double>(options.max_backoff.count()));
  random01 = std::clamp(random01, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(ceiling * random01));
}

RetryQuota::RetryQuota(const RetryOptions& options)
    : options_(options), available_(options.quota_capacity) {}

bool RetryQuota::Acquire(RetryKind kind, int* cost) {
  int need = kind == RetryKind::kTimeout ? options_.timeout_retry_cost : options_.retry_cost;
  std::lock_guard<std::mutex> lock(mu_);
  if (available_ < need) return false;
  available_ -= need;
  *cost = need;
  return true;
}

void RetryQuota::Refund(int cost) {
  std::lock_guard<std::mutex> lock(mu_);
  available_ = std::min(options_.quota_capacity,
                        available_ + (cost > 0 ? cost : options_.success_refill));
}

int RetryQuota::available() const {
  std::lock_guard<std::mutex> lock(mu_);
  return available_;
}

}  // namespace strata::aws
