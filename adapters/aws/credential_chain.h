// The sources of AWS credentials and the default chain over them, in the SDKs' order:
//   1. environment keys (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), skipped
//      when a profile was named explicitly (--profile or the target's profile:), as the AWS CLI
//      does;
//   2. web identity from the environment (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN);
//   3. the profile in the shared files: role_arn with web_identity_token_file, source_profile
//      or credential_source (AssumeRole); static keys; credential_process;
//   4. container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI);
//   5. instance metadata (IMDSv2), unless AWS_EC2_METADATA_DISABLED=true.
// Everything a source touches comes in through CredentialsContext. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "adapters/aws/config_file.h"
#include "adapters/aws/credentials.h"
#include "adapters/aws/http.h"
#include "adapters/aws/service_client.h"
#include "adapters/common/process_runner.h"

namespace strata::aws {

struct CredentialsContext {
  GetEnv getenv;
  std::shared_ptr<const SharedConfig> config;
  std::string profile;            // the resolved profile name
  bool profile_explicit = false;  // named by --profile / the target, not by AWS_PROFILE
  std::shared_ptr<HttpClient> http;                  // container and instance metadata
  std::shared_ptr<common::ProcessRunner> processes;  // credential_process
  ReadFile read_file;                                // web identity and container token files
  Clock clock;
  // STS for AssumeRole and AssumeRoleWithWebIdentity; `sts_parts.credentials` is ignored.
  ServiceEndpoint sts_endpoint;
  ServiceClientParts sts_parts;
};

// Each source answers NotFound when it is not configured, so the chain moves on; a source that
// is configured but fails returns its error, naming itself.
std::unique_ptr<CredentialsProvider> NewEnvironmentCredentialsProvider(GetEnv getenv);
std::unique_ptr<CredentialsProvider> NewProfileCredentialsProvider(CredentialsContext context);
struct WebIdentitySettings {
  std::string token_file;
  std::string role_arn;
  std::string session_name;  // empty: "strata-<unix time>"
  std::string source;        // for messages: "environment" or "profile dev"
};
std::unique_ptr<CredentialsProvider> NewWebIdentityCredentialsProvider(
    CredentialsContext context, WebIdentitySettings settings);
// Runs `command` with /bin/sh -c and reads the credential_process JSON it prints.
std::unique_ptr<CredentialsProvider> NewProcessCredentialsProvider(CredentialsContext context,
                                                                   std::string command,
                                                                   std::string source);
std::unique_ptr<CredentialsProvider> NewContainerCredentialsProvider(CredentialsContext context);
std::unique_ptr<CredentialsProvider> NewInstanceMetadataCredentialsProvider(
    CredentialsContext context);

// The default chain, cached (see NewCachingCredentialsProvider). When no source has credentials:
// NotFound "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE
// or --profile, ...".
std::unique_ptr<CredentialsProvider> NewDefaultCredentialsChain(CredentialsContext context);

}  // namespace strata::aws
