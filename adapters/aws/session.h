// Session: everything needed to call AWS for one target: region, endpoints, credentials,
// HTTP transport, retry policy. The cli builds one from flags, the target's settings and the
// process environment; adapters get JsonService objects from it.
//
// Open reads the shared config files and settles region, endpoints and retry settings at once
// (so a bad config file fails early, naming FILE:LINE); credentials are resolved lazily, on the
// first signed call, and cached until shortly before they expire. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/aws/config_file.h"
#include "adapters/aws/credentials.h"
#include "adapters/aws/http.h"
#include "adapters/aws/json_service.h"
#include "adapters/aws/credential_chain.h"
#include "adapters/aws/service_client.h"
#include "adapters/aws/sts.h"

namespace strata::aws {

struct SessionOptions {
  GetEnv getenv;              // the process environment; the cli passes it (no getenv below cli/)
  std::string home_dir;       // for ~/.aws/credentials and ~/.aws/config (AWS_SHARED_CREDENTIALS_FILE,
                              // AWS_CONFIG_FILE override them)
  std::string profile;        // --profile / the target's `profile:`; empty: AWS_PROFILE, else "default"
  std::string region;         // --region / the target's `region:`; empty: AWS_REGION,
                              // AWS_DEFAULT_REGION, then the profile's region
  std::string endpoint_url;   // the target's `endpoint:` (wins over everything for the services
                              // the session serves, STS excepted; see docs/aws.md)
  HttpOptions http;           // timeouts, connection pool size, proxy (from http.h)
  int max_attempts = 0;       // 0: AWS_MAX_ATTEMPTS, profile max_attempts, else 3
};

// The parts a Session would otherwise make for itself; tests replace them with fakes. Any
// member left empty gets the real thing.
struct SessionParts {
  std::shared_ptr<HttpClient> http;
  ReadFile read_file;
  std::shared_ptr<common::ProcessRunner> processes;
  std::optional<RetryEnvironment> retry_environment;
  std::optional<RetryOptions> retry;  // max_attempts is still settled by Open
};

// The proxies curl users set (https_proxy, http_proxy, no_proxy; the lower-case name of each
// first), as HttpOptions for a session; everything else keeps its default.
HttpOptions HttpOptionsFromEnvironment(const GetEnv& getenv);

class Session {  // thread-safe
 public:
  // InvalidArgument for a bad config file (FILE:LINE), a missing named profile, a bad
  // max_attempts or no region.
  static Result<std::unique_ptr<Session>> Open(SessionOptions options);
  static Result<std::unique_ptr<Session>> Open(SessionOptions options, SessionParts parts);
  ~Session();

  const std::string& region() const;
  // The endpoint URL `service` resolves to (see docs/aws.md for the order).
  std::string EndpointFor(std::string_view service) const;
  // "dynamodb" (awsJson1.0, target prefix DynamoDB_20120810), "glue" (1.1, AWSGlue),
  // "athena" (1.1, AmazonAthena), "kms" (1.1, TrentService); InvalidArgument for any other
  // name.
  Result<std::unique_ptr<JsonService>> Json(std::string_view service);
  // A signed client of `service` at its endpoint (EndpointFor), for the protocols that build
  // their own requests (S3's REST-XML).
  std::shared_ptr<const ServiceClient> Client(std::string_view service);
  // STS GetCallerIdentity, cached for the session's lifetime. FailedPrecondition without
  // touching the network when STS would be the public AWS endpoint but the session's endpoint
  // override points elsewhere (a local DynamoDB): tests must never reach the internet.
  Result<CallerIdentity> Caller();
  // The credentials the session signs with (resolving them when not yet done); for commands
  // that show which principal and source are in use. Never print the secret parts.
  Result<Credentials> ResolveCredentials();

 private:
  struct State;
  explicit Session(std::unique_ptr<State> state);
  ServiceClientParts ClientParts() const;

  std::unique_ptr<State> state_;
};

// One AWS service reached the way a strata target reaches it: a session from the target's
// region, profile and endpoint settings (empty: the AWS environment decides) with HOME and the
// proxies from `getenv`, the service's JSON client, and the endpoint requests go to, for
// messages and deployment records (the explicit URL, then AWS_ENDPOINT_URL_<SERVICE>, then
// AWS_ENDPOINT_URL, then AWS's own https://<service>.<region>.amazonaws.com). Errors name the
// target ("target dev", or "the AWS environment" when `target` is empty).
struct ServiceSessionOptions {
  std::string target;
  std::string region, profile, endpoint_url;
  GetEnv getenv;
  std::string service;  // "dynamodb", "glue"
};
struct ServiceSession {
  std::unique_ptr<Session> session;
  std::unique_ptr<JsonService> client;
  std::string endpoint;
};
Result<ServiceSession> OpenServiceSession(const ServiceSessionOptions& options);

}  // namespace strata::aws
