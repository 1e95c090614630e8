// Where AWS credentials and settings come from: the shared config and credentials files
// (INI with profiles) and the credential chain the SDKs use, in their order:
//   1. environment: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), unless a
//      profile was named explicitly (--profile / the target's profile:), as the AWS CLI does;
//   2. web identity: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN via STS
//      AssumeRoleWithWebIdentity (also a profile's web_identity_token_file + role_arn);
//   3. the profile in the shared files: static keys, then credential_process;
//   4. container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (169.254.170.2) or
//      AWS_CONTAINER_CREDENTIALS_FULL_URI, with AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE];
//   5. instance metadata (IMDSv2: a PUT for a token, then the role and its credentials),
//      unless AWS_EC2_METADATA_DISABLED=true; AWS_EC2_METADATA_SERVICE_ENDPOINT moves it.
// Everything outside comes in through CredentialSources, so each step is testable.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "adapters/aws/http.h"
#include "adapters/aws/sigv4.h"
#include "engine/status.h"

namespace strata::aws {

using GetEnv = std::function<std::optional<std::string>(const std::string&)>;

// One INI file: section -> key -> value. Sections of the config file keep their "profile "
// prefix; `ProfileSection` hides the difference.
using IniFile = std::map<std::string, std::map<std::string, std::string>>;
// InvalidArgument "FILE:LINE: ..." for a line that is neither a section, a key = value, a
// comment nor a continuation.
Result<IniFile> ParseIni(const std::string& text, const std::string& file_name);

struct SharedConfig {
  IniFile credentials;  // ~/.aws/credentials
  IniFile config;       // ~/.aws/config
  // The merged settings of `profile` (credentials file wins), empty when it is in neither.
  std::map<std::string, std::string> Profile(const std::string& profile) const;
  bool HasProfile(const std::string& profile) const;
};

struct CredentialSources {
  GetEnv getenv;
  SharedConfig files;
  std::string profile;            // resolved name ("default" when none was given)
  bool profile_explicit = false;  // named by --profile or the target, not by AWS_PROFILE
  HttpClient* http = nullptr;     // for container, instance metadata and STS
  std::function<Result<std::string>(const std::string&)> read_file;
  // Runs a credential_process command line; returns its stdout. Failure: its stderr, exit code.
  std::function<Result<std::string>(const std::string&)> run_process;
  std::function<int64_t()> now_unix;
  std::string sts_endpoint;  // for web identity
  std::string region;
};

// Walks the chain. FailedPrecondition with the message that tells the user what to set when
// no source yields credentials; the error of a source that was configured but failed (a
// credential_process that exits 1) otherwise. Never puts a secret in a message.
Result<Credentials> ResolveCredentials(const CredentialSources& sources);

}  // namespace strata::aws
