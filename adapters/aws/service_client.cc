#include "adapters/aws/service_client.h"

#include "adapters/aws/errors.h"
#include "adapters/aws/sigv4.h"
#include "adapters/common/system.h"

namespace strata::aws {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) { return s.ends_with(suffix); }

Code CodeFor(const ServiceError& error) {
  if (error.http_status >= 500 || error.http_status == 0 || IsThrottlingCode(error.code)) {
    return Code::kUnavailable;
  }
  if (error.http_status == 404 || EndsWith(error.code, "NotFoundException") ||
      EndsWith(error.code, "NotFound") || error.code == "NoSuchEntity") {
    return Code::kNotFound;
  }
  if (error.code == "ResourceInUseException" || EndsWith(error.code, "AlreadyExistsException")) {
    return Code::kAlreadyExists;
  }
  if (error.code == "ValidationException" || error.code == "InvalidParameterValue" ||
      error.code == "InvalidInputException" || error.code == "InvalidRequestException") {
    return Code::kInvalidArgument;
  }
  return Code::kFailedPrecondition;
}

}  // namespace

RetryEnvironment RetryEnvironment::Real() {
  const common::Clock& clock = common::SystemClock();
  common::Sleeper& sleeper = common::SystemSleeper();
  std::shared_ptr<common::Random> random = common::NewSystemRandom();
  RetryEnvironment env;
  env.clock = [&clock] {
    return std::chrono::system_clock::time_point(std::chrono::microseconds(clock.WallMicros()));
  };
  env.sleep = [&sleeper](std::chrono::milliseconds d) { sleeper.SleepMillis(d.count()); };
  env.random = [random] { return random->Uniform(); };
  return env;
}

ServiceClient::ServiceClient(ServiceEndpoint endpoint, ServiceClientParts parts)
    : endpoint_(std::move(endpoint)), parts_(std::move(parts)) {}

Result<HttpResponse> ServiceClient::Send(const ServiceCall& call, ServiceError* error) const {
  const std::string where = endpoint_.service + " " + call.operation;
  Credentials credentials;
  int retry_cost = 0;
  for (int attempt = 1;; ++attempt) {
    HttpRequest request = call.request;
    if (call.sign && parts_.credentials != nullptr) {
      auto got = parts_.credentials->Get();
      if (!got.ok()) return got.status().WithContext(where);
      credentials = std::move(got).value();
      SigningOptions signing =
          SigningOptionsFor(endpoint_.service, endpoint_.region, parts_.environment.clock());
      auto signed_request = Sign(signing, credentials, request);
      if (!signed_request.ok()) return signed_request.status().WithContext(where);
    }
    TransportError transport = TransportError::kNone;
    auto response = parts_.http->Send(request, &transport);
    if (!response.ok() && response.status().code() == Code::kInvalidArgument) {
      return response.status().WithContext(where);
    }
    if (response.ok() && response->status >= 200 && response->status < 300) {
      parts_.quota->Refund(retry_cost);
      return std::move(response).value();
    }
    ServiceError answer;
    std::string transport_reason;
    if (response.ok()) {
      answer = call.parse_error(*response);
    } else {
      transport_reason = response.status().message();
    }
    RetryKind kind = ClassifyFailure(answer.http_status, answer.code, transport);
    if (kind == RetryKind::kNone || attempt >= parts_.retry.max_attempts ||
        !parts_.quota->Acquire(kind, &retry_cost)) {
      std::vector<std::string> secrets = call.secrets;
      secrets.push_back(credentials.secret_access_key);
      secrets.push_back(credentials.session_token);
      answer.message = RedactSecrets(std::move(answer.message), secrets);
      if (error != nullptr) *error = answer;
      return Failure(call, answer, transport_reason, credentials.source, secrets, attempt);
    }
    parts_.environment.sleep(Backoff(parts_.retry, attempt, parts_.environment.random()));
  }
}

Status ServiceClient::Failure(const ServiceCall& call, const ServiceError& error,
                              const std::string& transport_reason,
                              const std::string& credentials_source,
                              const std::vector<std::string>& secrets, int attempts) const {
  if (error.http_status == 0) {
    return Status::Unavailable(RedactSecrets(
        DescribeUnreachable(endpoint_.service, endpoint_.url, transport_reason, attempts),
        secrets));
  }
  std::string message = DescribeServiceError(endpoint_.service, call.operation, error,
                                             credentials_source, attempts);
  return Status(CodeFor(error), RedactSecrets(std::move(message), secrets));
}

}  // namespace strata::aws
