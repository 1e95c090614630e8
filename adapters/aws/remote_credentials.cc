// The credential sources that reach outside the process: STS with a web identity token, a
// credential_process program, the container credentials endpoint and instance metadata.
#include <array>
#include <nlohmann/json.hpp>

#include "adapters/aws/credential_chain.h"
#include "adapters/aws/json_members.h"
#include "adapters/aws/sts.h"

namespace strata::aws {
namespace {

constexpr std::string_view kContainerHost = "http://169.254.170.2";
constexpr std::string_view kImdsEndpoint = "http://169.254.169.254";
constexpr auto kMetadataTimeout = std::chrono::milliseconds(1000);

std::string Env(const GetEnv& getenv, const std::string& name) {
  std::optional<std::string> value = getenv ? getenv(name) : std::nullopt;
  return value.value_or("");
}

// The JSON documents of credential_process, the container endpoint and instance metadata share
// field names, except that the token is "SessionToken" in one and "Token" in the others.
Result<Credentials> CredentialsFromJson(std::string_view text, const std::string& source) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object()) return Status::InvalidArgument(source + ": the answer is not a JSON object");
  Credentials c;
  c.access_key_id = JsonString(doc, "AccessKeyId");
  c.secret_access_key = JsonString(doc, "SecretAccessKey");
  c.session_token = JsonString(doc, "SessionToken");
  if (c.session_token.empty()) c.session_token = JsonString(doc, "Token");
  c.source = source;
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return Status::InvalidArgument(source + ": the answer lacks AccessKeyId or SecretAccessKey");
  }
  if (std::string expiration = JsonString(doc, "Expiration"); !expiration.empty()) {
    auto when = ParseIso8601(expiration);
    if (!when.ok()) return when.status().WithContext(source);
    c.expiration = *when;
  }
  return c;
}

class WebIdentityProvider : public CredentialsProvider {
 public:
  WebIdentityProvider(CredentialsContext context, WebIdentitySettings settings)
      : context_(std::move(context)), settings_(std::move(settings)) {}

  Result<Credentials> Get() override {
    const std::string what = "web identity from " + settings_.source;
    // Read afresh every time: the token file is rotated by whoever mounts it.
    auto token = context_.read_file(settings_.token_file);
    if (!token.ok()) return token.status().WithContext(what);
    if (!token->has_value() || (*token)->empty()) {
      return Status::InvalidArgument(what + ": the token file " + settings_.token_file +
                                     " is missing or empty");
    }
    StsClient sts(std::make_shared<ServiceClient>(context_.sts_endpoint, context_.sts_parts));
    AssumeRoleRequest request;
    request.role_arn = settings_.role_arn;
    request.session_name = settings_.session_name;
    if (request.session_name.empty()) {
      auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
          context_.clock().time_since_epoch());
      request.session_name = "strata-" + std::to_string(seconds.count());
    }
    request.web_identity_token = **token;
    while (!request.web_identity_token.empty() &&
           (request.web_identity_token.back() == '\n' || request.web_identity_token.back() == '\r')) {
      request.web_identity_token.pop_back();
    }
    auto assumed = sts.AssumeRole(request);
    if (!assumed.ok()) return assumed.status().WithContext(what);
    return assumed;
  }

 private:
  const CredentialsContext context_;
  const WebIdentitySettings settings_;
};

class ProcessProvider : public CredentialsProvider {
 public:
  ProcessProvider(CredentialsContext context, std::string command, std::string source)
      : context_(std::move(context)), command_(std::move(command)), source_(std::move(source)) {}

  Result<Credentials> Get() override {
    const std::string what = "credential_process of " + source_;
    common::ProcessRequest request;
    request.argv = {"/bin/sh", "-c", command_};
    // The child gets the variables a program needs to find its tools and its own config; the
    // caller's keys are not passed on.
    for (const char* name : {"PATH", "HOME", "USER", "LANG", "LC_ALL", "TMPDIR", "AWS_PROFILE",
                             "AWS_REGION", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"}) {
      if (auto value = context_.getenv ? context_.getenv(name) : std::nullopt) {
        request.environment.push_back(std::string(name) + "=" + *value);
      }
    }
    auto result = context_.processes->Run(request);
    if (!result.ok()) return result.status().WithContext(what);
    if (result->exit_code != 0) {
      std::string errors = result->errors.substr(0, 500);
      while (!errors.empty() && errors.back() == '\n') errors.pop_back();
      return Status::FailedPrecondition(what + " exited with status " +
                                        std::to_string(result->exit_code) +
                                        (errors.empty() ? "" : ": " + errors));
    }
    nlohmann::json doc = nlohmann::json::parse(result->output, nullptr, false);
    if (doc.is_object() && doc.value("Version", 0) != 1) {
      return Status::InvalidArgument(what + ": the output must have \"Version\": 1");
    }
    return CredentialsFromJson(result->output, what);
  }

 private:
  const CredentialsContext context_;
  const std::string command_;
  const std::string source_;
};

// Full URIs must stay on this machine or the container agent's link-local addresses, or use
// TLS, so a stray variable cannot send the token elsewhere in clear text.
bool AllowedContainerUri(const std::string& uri) {
  if (uri.starts_with("https://")) return true;
  auto parts = SplitUrl(uri);
  if (!parts.ok()) return false;
  std::string host = parts->authority;
  if (size_t colon = host.rfind(':'); colon != std::string::npos && host.find(']') == std::string::npos) {
    host = host.substr(0, colon);
  }
  for (std::string_view allowed : {"127.0.0.1", "localhost", "[::1]", "169.254.170.2",
                                   "169.254.170.23", "[fd00:ec2::23]"}) {
    if (host == allowed) return true;
  }
  return host.starts_with("127.") || host.starts_with("[::1]");
}

class ContainerProvider : public CredentialsProvider {
 public:
  explicit ContainerProvider(CredentialsContext context) : context_(std::move(context)) {}

  Result<Credentials> Get() override {
    std::string relative = Env(context_.getenv, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    std::string full = Env(context_.getenv, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (relative.empty() && full.empty()) {
      return Status::NotFound("no container credentials endpoint in the environment");
    }
    HttpRequest request;
    request.url = relative.empty() ? full : std::string(kContainerHost) + relative;
    request.timeout = std::chrono::milliseconds(2000);
    const std::string what = "container credentials from " + request.url;
    if (relative.empty() && !AllowedContainerUri(full)) {
      return Status::InvalidArgument(
          what + ": AWS_CONTAINER_CREDENTIALS_FULL_URI must use https or a loopback or "
                 "container-agent address");
    }
    STRATA_ASSIGN_OR_RETURN(std::string token, AuthorizationToken(what));
    if (!token.empty()) request.headers.emplace_back("Authorization", token);
    TransportError transport;
    auto response = context_.http->Send(request, &transport);
    if (!response.ok()) return Status::Unavailable(what + ": " + response.status().message());
    if (response->status != 200) {
      return Status::Unavailable(what + ": HTTP " + std::to_string(response->status));
    }
    return CredentialsFromJson(response->body, what);
  }

 private:
  Result<std::string> AuthorizationToken(const std::string& what) const {
    std::string file = Env(context_.getenv, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    if (file.empty()) return Env(context_.getenv, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    auto text = context_.read_file(file);
    if (!text.ok()) return text.status().WithContext(what);
    if (!text->has_value()) {
      return Status::InvalidArgument(what + ": the token file " + file + " does not exist");
    }
    std::string token = **text;
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
    return token;
  }

  const CredentialsContext context_;
};

class InstanceMetadataProvider : public CredentialsProvider {
 public:
  explicit InstanceMetadataProvider(CredentialsContext context) : context_(std::move(context)) {}

  Result<Credentials> Get() override {
    std::string disabled = Env(context_.getenv, "AWS_EC2_METADATA_DISABLED");
    for (char& c : disabled) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (disabled == "true") return Status::NotFound("instance metadata is disabled");
    std::string endpoint = Env(context_.getenv, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
    if (endpoint.empty()) endpoint = std::string(kImdsEndpoint);
    while (endpoint.ends_with("/")) endpoint.pop_back();
    const std::string what = "instance metadata at " + endpoint;

    HttpRequest token_request{"PUT", endpoint + "/latest/api/token",
                              {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}}, "",
                              kMetadataTimeout};
    auto token = Fetch(token_request);
    // No metadata service here (not on EC2): not an error, just no credentials from it.
    if (!token.ok()) return Status::NotFound(what + ": " + token.status().message());
    Headers auth = {{"X-aws-ec2-metadata-token", *token}};
    const std::string base = endpoint + "/latest/meta-data/iam/security-credentials/";
    auto roles = Fetch({"GET", base, auth, "", kMetadataTimeout});
    if (!roles.ok()) return roles.status().WithContext(what);
    std::string role = roles->substr(0, roles->find('\n'));
    if (role.empty()) return Status::NotFound(what + ": the instance has no IAM role");
    auto document = Fetch({"GET", base + role, auth, "", kMetadataTimeout});
    if (!document.ok()) return document.status().WithContext(what);
    nlohmann::json doc = nlohmann::json::parse(*document, nullptr, false);
    if (doc.is_object() && doc.contains("Code") && doc["Code"] != "Success") {
      return Status::Unavailable(what + ": role " + role + " answered " + doc["Code"].dump());
    }
    return CredentialsFromJson(*document, what + " (role " + role + ")");
  }

 private:
  Result<std::string> Fetch(const HttpRequest& request) {
    TransportError transport;
    auto response = context_.http->Send(request, &transport);
    if (!response.ok()) return response.status();
    if (response->status != 200) {
      return Status::Unavailable(request.method + " " + request.url + ": HTTP " +
                                 std::to_string(response->status));
    }
    return std::move(response->body);
  }

  const CredentialsContext context_;
};

}  // namespace

std::unique_ptr<CredentialsProvider> NewWebIdentityCredentialsProvider(
    CredentialsContext context, WebIdentitySettings settings) {
  return std::make_unique<WebIdentityProvider>(std::move(context), std::move(settings));
}

std::unique_ptr<CredentialsProvider> NewProcessCredentialsProvider(CredentialsContext context,
                                                                   std::string command,
                                                                   std::string source) {
  return std::make_unique<ProcessProvider>(std::move(context), std::move(command),
                                           std::move(source));
}

std::unique_ptr<CredentialsProvider> NewContainerCredentialsProvider(CredentialsContext context) {
  return std::make_unique<ContainerProvider>(std::move(context));
}

std::unique_ptr<CredentialsProvider> NewInstanceMetadataCredentialsProvider(
    CredentialsContext context) {
  return std::make_unique<InstanceMetadataProvider>(std::move(context));
}

}  // namespace strata::aws
