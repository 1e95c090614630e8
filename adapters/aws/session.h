// Session: the AWS side of one run of strata — region, endpoints, credentials (resolved once,
// on first use, refreshed before they expire), one HTTP client with pooled connections, and
// the retry quota — handing out JsonService clients for DynamoDB, Glue and Athena and the
// caller's identity from STS. Thread-safe.
//
// Endpoint of a service, highest first: SessionOptions::endpoint_url, AWS_ENDPOINT_URL_<SERVICE>,
// the profile's services section, the profile's endpoint_url, AWS_ENDPOINT_URL, then
// https://{service}.{region}.amazonaws.com. AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true skips
// all but the first.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/aws/credentials.h"
#include "adapters/aws/http.h"
#include "adapters/aws/json_service.h"
#include "adapters/aws/retry.h"

namespace strata::aws {

struct SessionOptions {
  GetEnv getenv;              // the process environment (the cli passes it)
  std::string home_dir;       // for ~/.aws/credentials and ~/.aws/config
  std::string profile;        // explicit profile; empty: AWS_PROFILE, else "default"
  std::string region;         // explicit region; empty: AWS_REGION, AWS_DEFAULT_REGION, profile
  std::string endpoint_url;   // wins over everything for the session's services
  HttpOptions http;
  int max_attempts = 0;       // 0: AWS_MAX_ATTEMPTS, the profile's max_attempts, else 3
  // Injected for tests; defaults: a libcurl client, the system clock, real sleeping, /bin/sh.
  std::shared_ptr<HttpClient> http_client;
  std::function<int64_t()> now_unix;
  std::function<void(double seconds)> sleep;
  std::function<Result<std::string>(const std::string&)> run_process;
};

struct CallerIdentity {
  std::string account, arn, user_id;
};

class Session {
 public:
  // InvalidArgument for an unreadable config file (FILE:LINE), an unknown explicit profile or
  // no region. Credentials are resolved on the first call, not here.
  static Result<std::unique_ptr<Session>> Open(SessionOptions options);
  ~Session();

  const std::string& region() const { return region_; }
  const std::string& profile() const { return profile_; }
  std::string EndpointFor(std::string_view service) const;

  // "dynamodb", "glue", "athena"; InvalidArgument for others.
  Result<std::unique_ptr<JsonService>> Json(std::string_view service);

  // STS GetCallerIdentity, cached. FailedPrecondition without a network call when STS would be
  // the public endpoint while the session's own endpoint override points elsewhere (local
  // development against DynamoDB Local: never reach out to AWS from there).
  Result<CallerIdentity> Caller();

  // Credentials for signing (resolved on first use, refreshed when about to expire).
  Result<Credentials> CurrentCredentials();

  // Signs and sends one request to `service`, with retries. Used by the JSON clients and STS.
  struct Call {
    std::string service;       // signing name
    std::string operation;     // for messages
    HttpRequest request;       // url, method, headers (no auth), body
  };
  Result<HttpResponse> Send(const Call& call, ServiceError* error);

 private:
  Session() = default;
  struct State;
  std::unique_ptr<State> state_;
  std::string region_, profile_;
};

// A readable sentence for a refused call ("dynamodb DescribeTable: ResourceNotFoundException:
// Requested resource not found"), with hints for credential errors. Never contains secrets.
std::string DescribeServiceError(std::string_view service, std::string_view operation,
                                 const ServiceError& error);

}  // namespace strata::aws
