#include "adapters/aws/retry.h"

#include <gtest/gtest.h>

namespace strata::aws {
namespace {

using std::chrono::milliseconds;

TEST(ClassifyFailureTest, ThrottlingCodesAreThrottlingWhateverTheStatus) {
  for (const char* code : {"Throttling", "ThrottlingException", "ProvisionedThroughputExceededException",
                           "RequestLimitExceeded", "TooManyRequestsException", "SlowDown",
                           "TransactionInProgressException"}) {
    EXPECT_EQ(ClassifyFailure(400, code, TransportError::kNone), RetryKind::kThrottling) << code;
  }
  EXPECT_EQ(ClassifyFailure(429, "", TransportError::kNone), RetryKind::kThrottling);
}

TEST(ClassifyFailureTest, ServerErrorsAndTransientCodesAreTransient) {
  for (int status : {500, 502, 503, 504}) {
    EXPECT_EQ(ClassifyFailure(status, "HTTP " + std::to_string(status), TransportError::kNone),
              RetryKind::kTransient);
  }
  EXPECT_EQ(ClassifyFailure(400, "RequestTimeoutException", TransportError::kNone),
            RetryKind::kTransient);
}

TEST(ClassifyFailureTest, ClientErrorsAreFinal) {
  EXPECT_EQ(ClassifyFailure(400, "ValidationException", TransportError::kNone), RetryKind::kNone);
  EXPECT_EQ(ClassifyFailure(400, "ResourceNotFoundException", TransportError::kNone),
            RetryKind::kNone);
  EXPECT_EQ(ClassifyFailure(403, "UnrecognizedClientException", TransportError::kNone),
            RetryKind::kNone);
  EXPECT_EQ(ClassifyFailure(501, "NotImplemented", TransportError::kNone), RetryKind::kNone);
}

TEST(ClassifyFailureTest, NoAnswerIsTimeoutOrConnection) {
  EXPECT_EQ(ClassifyFailure(0, "", TransportError::kTimeout), RetryKind::kTimeout);
  EXPECT_EQ(ClassifyFailure(0, "", TransportError::kConnect), RetryKind::kConnection);
  EXPECT_EQ(ClassifyFailure(0, "", TransportError::kOther), RetryKind::kConnection);
}

TEST(BackoffTest, FullJitterOfAnExponentialCeilingCappedAt20Seconds) {
  RetryOptions options;  // base 1 s, cap 20 s
  EXPECT_EQ(Backoff(options, 1, 0.5), milliseconds(500));
  EXPECT_EQ(Backoff(options, 2, 0.5), milliseconds(1000));
  EXPECT_EQ(Backoff(options, 3, 0.5), milliseconds(2000));
  EXPECT_EQ(Backoff(options, 3, 0.0), milliseconds(0));
  EXPECT_EQ(Backoff(options, 10, 0.999), milliseconds(19980));
  EXPECT_EQ(Backoff(options, 60, 1.0), milliseconds(20000));
}

TEST(RetryQuotaTest, RetriesSpendFiveTimeoutsTenUntilEmpty) {
  RetryOptions options;
  options.quota_capacity = 22;
  RetryQuota quota(options);
  int cost = 0;
  EXPECT_TRUE(quota.Acquire(RetryKind::kTimeout, &cost));
  EXPECT_EQ(cost, 10);
  EXPECT_TRUE(quota.Acquire(RetryKind::kThrottling, &cost));
  EXPECT_EQ(cost, 5);
  EXPECT_TRUE(quota.Acquire(RetryKind::kTransient, &cost));
  EXPECT_EQ(quota.available(), 2);
  EXPECT_FALSE(quota.Acquire(RetryKind::kTransient, &cost));
  EXPECT_EQ(quota.available(), 2);
}

TEST(RetryQuotaTest, SuccessRefundsTheRetryCostOrOneTokenNeverAboveCapacity) {
  RetryOptions options;  // 500
  RetryQuota quota(options);
  int cost = 0;
  ASSERT_TRUE(quota.Acquire(RetryKind::kTimeout, &cost));
  EXPECT_EQ(quota.available(), 490);
  quota.Refund(cost);
  EXPECT_EQ(quota.available(), 500);
  quota.Refund(0);
  EXPECT_EQ(quota.available(), 500);
  ASSERT_TRUE(quota.Acquire(RetryKind::kTransient, &cost));
  quota.Refund(0);  // a first-attempt success elsewhere
  EXPECT_EQ(quota.available(), 496);
}

}  // namespace
}  // namespace strata::aws
