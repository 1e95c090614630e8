// The environment and profile sources and the chain; the sources that reach out (STS, processes,
// HTTP) are in remote_credentials.cc.
#include "adapters/aws/credential_chain.h"

#include <set>
#include <vector>

#include "adapters/aws/sts.h"

namespace strata::aws {
namespace {

std::string Env(const GetEnv& getenv, const std::string& name) {
  std::optional<std::string> value = getenv ? getenv(name) : std::nullopt;
  return value.value_or("");
}

class EnvironmentProvider : public CredentialsProvider {
 public:
  explicit EnvironmentProvider(GetEnv getenv) : getenv_(std::move(getenv)) {}

  Result<Credentials> Get() override {
    Credentials c;
    c.access_key_id = Env(getenv_, "AWS_ACCESS_KEY_ID");
    c.secret_access_key = Env(getenv_, "AWS_SECRET_ACCESS_KEY");
    c.session_token = Env(getenv_, "AWS_SESSION_TOKEN");
    c.source = "the environment (AWS_ACCESS_KEY_ID)";
    if (c.access_key_id.empty() && c.secret_access_key.empty()) {
      return Status::NotFound("no AWS_ACCESS_KEY_ID in the environment");
    }
    if (c.access_key_id.empty() || c.secret_access_key.empty()) {
      return Status::InvalidArgument(
          c.access_key_id.empty()
              ? "the environment sets AWS_SECRET_ACCESS_KEY but not AWS_ACCESS_KEY_ID: set "
                "both, or neither to use a profile"
              : "the environment sets AWS_ACCESS_KEY_ID but not AWS_SECRET_ACCESS_KEY: set "
                "both, or neither to use a profile");
    }
    return c;
  }

 private:
  const GetEnv getenv_;
};

// A profile's credentials, following role_arn / source_profile chains.
class ProfileProvider : public CredentialsProvider {
 public:
  explicit ProfileProvider(CredentialsContext context) : context_(std::move(context)) {}

  Result<Credentials> Get() override {
    if (!context_.config->HasProfile(context_.profile)) {
      return Status::NotFound("no profile " + context_.profile);
    }
    std::set<std::string> visited;
    return Resolve(context_.profile, visited, /*as_source=*/false);
  }

 private:
  std::optional<std::string> Setting(const std::string& profile, std::string_view key) const {
    return context_.config->Get(profile, key);
  }

  std::string Describe(const std::string& profile) const {
    std::string where = context_.config->Where(profile);
    return "profile " + profile + (where.empty() ? "" : " (" + where + ")");
  }

  Result<Credentials> Resolve(const std::string& profile, std::set<std::string>& visited,
                              bool as_source) {
    if (!context_.config->HasProfile(profile)) {
      return Status::InvalidArgument("source_profile " + profile +
                                     " is not defined in the AWS config or credentials file");
    }
    if (!visited.insert(profile).second) {
      return Status::InvalidArgument(Describe(profile) +
                                     ": source_profile chain loops back to it");
    }
    auto role_arn = Setting(profile, "role_arn");
    auto source_profile = Setting(profile, "source_profile");
    // A profile that is its own source uses its keys for the first hop.
    bool self_source = source_profile && *source_profile == profile && as_source;
    if (role_arn && !self_source) return AssumeRoleFor(profile, *role_arn, visited);
    if (auto key = Setting(profile, "aws_access_key_id")) {
      Credentials c;
      c.access_key_id = *key;
      c.secret_access_key = Setting(profile, "aws_secret_access_key").value_or("");
      c.session_token = Setting(profile, "aws_session_token").value_or("");
      c.source = Describe(profile);
      if (c.secret_access_key.empty()) {
        return Status::InvalidArgument(Describe(profile) +
                                       ": aws_access_key_id without aws_secret_access_key");
      }
      return c;
    }
    if (auto command = Setting(profile, "credential_process")) {
      return NewProcessCredentialsProvider(context_, *command, Describe(profile))->Get();
    }
    if (as_source) {
      return Status::InvalidArgument(Describe(profile) +
                                     " is a source_profile but has no credentials");
    }
    return Status::NotFound(Describe(profile) + " has no credentials");
  }

  Result<Credentials> AssumeRoleFor(const std::string& profile, const std::string& role_arn,
                                    std::set<std::string>& visited) {
    std::string session_name = Setting(profile, "role_session_name").value_or("");
    if (auto token_file = Setting(profile, "web_identity_token_file")) {
      WebIdentitySettings settings{*token_file, role_arn, session_name, Describe(profile)};
      return NewWebIdentityCredentialsProvider(context_, settings)->Get();
    }
    Result<Credentials> source = SourceCredentials(profile, visited);
    if (!source.ok()) return source.status();
    ServiceClientParts parts = context_.sts_parts;
    parts.credentials = NewStaticCredentialsProvider(*source);
    StsClient sts(std::make_shared<ServiceClient>(context_.sts_endpoint, parts));
    AssumeRoleRequest request;
    request.role_arn = role_arn;
    request.session_name = session_name.empty() ? DefaultSessionName() : session_name;
    request.external_id = Setting(profile, "external_id").value_or("");
    if (auto duration = Setting(profile, "duration_seconds")) {
      try {
        request.duration = std::chrono::seconds(std::stol(*duration));
      } catch (const std::exception&) {
        return Status::InvalidArgument(Describe(profile) + ": duration_seconds is not a number");
      }
    }
    auto assumed = sts.AssumeRole(request);
    if (!assumed.ok()) return assumed.status().WithContext(Describe(profile));
    assumed->source = Describe(profile) + ", " + assumed->source;
    return assumed;
  }

  Result<Credentials> SourceCredentials(const std::string& profile,
                                        std::set<std::string>& visited) {
    if (auto source_profile = Setting(profile, "source_profile")) {
      return Resolve(*source_profile, visited, /*as_source=*/true);
    }
    std::string source = Setting(profile, "credential_source").value_or("");
    if (source == "Environment") return NewEnvironmentCredentialsProvider(context_.getenv)->Get();
    if (source == "Ec2InstanceMetadata") {
      return NewInstanceMetadataCredentialsProvider(context_)->Get();
    }
    if (source == "EcsContainer") return NewContainerCredentialsProvider(context_)->Get();
    return Status::InvalidArgument(
        Describe(profile) +
        ": role_arn needs source_profile, web_identity_token_file or credential_source "
        "(Environment, Ec2InstanceMetadata or EcsContainer)");
  }

  std::string DefaultSessionName() const {
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
        context_.clock().time_since_epoch());
    return "strata-" + std::to_string(seconds.count());
  }

  const CredentialsContext context_;
};

// Tries each source in turn; the first that answers (or fails for real) decides.
class ChainProvider : public CredentialsProvider {
 public:
  ChainProvider(std::vector<std::unique_ptr<CredentialsProvider>> sources, std::string profile)
      : sources_(std::move(sources)), profile_(std::move(profile)) {}

  Result<Credentials> Get() override {
    for (auto& source : sources_) {
      auto got = source->Get();
      if (got.ok() || got.status().code() != Code::kNotFound) return got;
    }
    return Status::NotFound(
        "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE "
        "or --profile (profile " + profile_ +
        " has none), or run where container or instance credentials are available");
  }

 private:
  std::vector<std::unique_ptr<CredentialsProvider>> sources_;
  const std::string profile_;
};

}  // namespace

std::unique_ptr<CredentialsProvider> NewEnvironmentCredentialsProvider(GetEnv getenv) {
  return std::make_unique<EnvironmentProvider>(std::move(getenv));
}

std::unique_ptr<CredentialsProvider> NewProfileCredentialsProvider(CredentialsContext context) {
  return std::make_unique<ProfileProvider>(std::move(context));
}

std::unique_ptr<CredentialsProvider> NewDefaultCredentialsChain(CredentialsContext context) {
  std::vector<std::unique_ptr<CredentialsProvider>> sources;
  if (!context.profile_explicit) {
    sources.push_back(NewEnvironmentCredentialsProvider(context.getenv));
  }
  std::string token_file = Env(context.getenv, "AWS_WEB_IDENTITY_TOKEN_FILE");
  std::string role_arn = Env(context.getenv, "AWS_ROLE_ARN");
  if (!token_file.empty() && !role_arn.empty()) {
    WebIdentitySettings settings{token_file, role_arn, Env(context.getenv, "AWS_ROLE_SESSION_NAME"),
                                 "the environment (AWS_WEB_IDENTITY_TOKEN_FILE)"};
    sources.push_back(NewWebIdentityCredentialsProvider(context, settings));
  }
  sources.push_back(NewProfileCredentialsProvider(context));
  sources.push_back(NewContainerCredentialsProvider(context));
  sources.push_back(NewInstanceMetadataCredentialsProvider(context));
  Clock clock = context.clock;
  return NewCachingCredentialsProvider(
      std::make_unique<ChainProvider>(std::move(sources), context.profile), std::move(clock));
}

}  // namespace strata::aws
