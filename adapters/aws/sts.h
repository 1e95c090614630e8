// STS over the query protocol: a form-encoded POST (Action=...&Version=2011-06-15) answered
// with XML, of which we read the few fields we need (see xml_text.h). GetCallerIdentity names
// the principal for commit actors; AssumeRole and AssumeRoleWithWebIdentity feed the credential
// chain. Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "adapters/aws/credentials.h"
#include "adapters/aws/service_client.h"

namespace strata::aws {

struct CallerIdentity {
  std::string account, arn, user_id;
};

struct AssumeRoleRequest {
  std::string role_arn;
  std::string session_name;
  std::string external_id;                 // empty: none
  std::chrono::seconds duration{0};        // 0: the service's default (one hour)
  std::string web_identity_token;          // set: AssumeRoleWithWebIdentity, sent unsigned
};

// "a=1&b=x%20y", keys sorted, values encoded as SigV4 does.
std::string FormEncode(const std::map<std::string, std::string>& params);

class StsClient {
 public:
  explicit StsClient(std::shared_ptr<const ServiceClient> client);

  // Failures as ServiceClient::Send; Unavailable when the answer lacks the expected fields.
  Result<CallerIdentity> GetCallerIdentity() const;
  // Temporary credentials for the role; their `source` says which role and how.
  Result<Credentials> AssumeRole(const AssumeRoleRequest& request) const;

 private:
  Result<std::string> Post(const std::string& action, std::map<std::string, std::string> params,
                           bool sign, std::vector<std::string> secrets) const;

  std::shared_ptr<const ServiceClient> client_;
};

// "2026-03-01T12:00:00Z" (fractional seconds and "+00:00" accepted) as a time point;
// InvalidArgument otherwise.
Result<std::chrono::system_clock::time_point> ParseIso8601(std::string_view text);

}  // namespace strata::aws
