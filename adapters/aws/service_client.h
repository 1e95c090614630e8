// ServiceClient: one AWS service at one endpoint. It signs each request with SigV4, sends it,
// retries what the standard retry mode retries (backoff, jitter, a shared retry quota), and turns
// what finally happened into a Status whose message reads well on its own and never contains a
// secret. The protocol clients (JSON services, STS) build requests and parse answers on top.
//
// Thread-safe: the parts it shares (HTTP client, credentials, quota) are thread-safe, and
// they are shared_ptrs so clients may outlive the Session that made them.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/aws/credentials.h"
#include "adapters/aws/http.h"
#include "adapters/aws/json_service.h"
#include "adapters/aws/retry.h"

namespace strata::aws {

// Time, waiting and randomness, injected so retries are testable without real waits.
struct RetryEnvironment {
  Clock clock;
  std::function<void(std::chrono::milliseconds)> sleep;
  std::function<double()> random;  // uniform in [0, 1); called from many threads

  // The real clock, sleep and random source of adapters/common/system.h.
  static RetryEnvironment Real();
};

struct ServiceClientParts {
  std::shared_ptr<HttpClient> http;
  std::shared_ptr<CredentialsProvider> credentials;  // null: requests go unsigned
  std::shared_ptr<RetryQuota> quota;
  RetryOptions retry;
  RetryEnvironment environment;
};

struct ServiceEndpoint {
  std::string service;  // signing name and the name in messages: "dynamodb", "sts", ...
  std::string region;
  std::string url;      // "https://dynamodb.eu-west-1.amazonaws.com", no trailing slash
};

using ErrorParser = ServiceError (*)(const HttpResponse&);

struct ServiceCall {
  std::string operation;  // for messages: "DescribeTable"
  HttpRequest request;    // url, method, headers, body; signing headers are added per attempt
  ErrorParser parse_error = nullptr;
  bool sign = true;                  // false for the few calls made without credentials
  std::vector<std::string> secrets;  // more text that must never appear in a message
};

class ServiceClient {
 public:
  ServiceClient(ServiceEndpoint endpoint, ServiceClientParts parts);

  // Sends the call, retrying as the standard mode says, and returns the 2xx answer.
  // On failure `*error` (when not null) holds the last answer's ServiceError and the Status is:
  // Unavailable for no answer, 5xx or throttling after the last attempt; NotFound for
  // *NotFound* codes and 404; AlreadyExists for ResourceInUse/AlreadyExists codes;
  // InvalidArgument for ValidationException; FailedPrecondition for other refusals
  // (credentials, access, conditions). Failures to get credentials come back as they are,
  // prefixed with the service and operation.
  Result<HttpResponse> Send(const ServiceCall& call, ServiceError* error) const;

  const ServiceEndpoint& endpoint() const { return endpoint_; }

 private:
  Status Failure(const ServiceCall& call, const ServiceError& error,
                 const std::string& transport_reason, const std::string& credentials_source,
                 const std::vector<std::string>& secrets, int attempts) const;

  const ServiceEndpoint endpoint_;
  const ServiceClientParts parts_;
};

}  // namespace strata::aws
