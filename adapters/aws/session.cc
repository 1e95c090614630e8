#include "adapters/aws/session.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "adapters/aws/json_client.h"

namespace strata::aws {
namespace {

struct JsonServiceInfo {
  std::string_view name;
  std::string_view version;
  std::string_view target_prefix;
};

constexpr std::array<JsonServiceInfo, 4> kJsonServices = {{
    {"dynamodb", "1.0", "DynamoDB_20120810"},
    {"glue", "1.1", "AWSGlue"},
    {"athena", "1.1", "AmazonAthena"},
    {"kms", "1.1", "TrentService"},
}};

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool IsTrue(std::string_view s) {
  std::string lower(s);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "true";
}

std::string TrimSlash(std::string url) {
  while (url.ends_with("/")) url.pop_back();
  return url;
}

}  // namespace

struct Session::State {
  SessionOptions options;
  SessionParts parts;
  std::shared_ptr<const SharedConfig> config;
  std::string profile;
  bool profile_explicit = false;
  std::string region;
  RetryOptions retry;
  std::shared_ptr<RetryQuota> quota;

  std::mutex mu;
  std::shared_ptr<CredentialsProvider> credentials;  // guarded by mu; made on first use
  std::optional<CallerIdentity> caller;               // guarded by mu

  std::string Env(const std::string& name) const {
    auto value = options.getenv ? options.getenv(name) : std::nullopt;
    return value.value_or("");
  }
  std::string Setting(std::string_view key) const {
    return config->Get(profile, key).value_or("");
  }
  std::string ExpandHome(std::string path) const {
    if (path.starts_with("~/")) path = options.home_dir + path.substr(1);
    return path;
  }

  // The steps of Open, in order.
  Status FillParts();
  Status LoadConfig();
  Status ChooseProfile();
  Status ChooseRegion();
  Status ChooseRetries();
};

Result<std::unique_ptr<Session>> Session::Open(SessionOptions options) {
  return Open(std::move(options), SessionParts{});
}

Result<std::unique_ptr<Session>> Session::Open(SessionOptions options, SessionParts parts) {
  auto state = std::make_unique<State>();
  state->options = std::move(options);
  state->parts = std::move(parts);
  STRATA_RETURN_IF_ERROR(state->FillParts());
  STRATA_RETURN_IF_ERROR(state->LoadConfig());
  STRATA_RETURN_IF_ERROR(state->ChooseProfile());
  STRATA_RETURN_IF_ERROR(state->ChooseRegion());
  STRATA_RETURN_IF_ERROR(state->ChooseRetries());
  return std::unique_ptr<Session>(new Session(std::move(state)));
}

Status Session::State::FillParts() {
  if (!parts.read_file) parts.read_file = RealFileReader();
  if (!parts.retry_environment) parts.retry_environment = RetryEnvironment::Real();
  if (!parts.processes) parts.processes = common::NewPosixProcessRunner();
  if (!parts.http) {
    STRATA_ASSIGN_OR_RETURN(std::unique_ptr<HttpClient> client, NewCurlHttpClient(options.http));
    parts.http = std::move(client);
  }
  return Status::Ok();
}

Status Session::State::LoadConfig() {
  std::string config_path = Env("AWS_CONFIG_FILE");
  if (config_path.empty()) config_path = options.home_dir + "/.aws/config";
  std::string credentials_path = Env("AWS_SHARED_CREDENTIALS_FILE");
  if (credentials_path.empty()) credentials_path = options.home_dir + "/.aws/credentials";
  STRATA_ASSIGN_OR_RETURN(SharedConfig shared,
                          LoadSharedConfig(parts.read_file, ExpandHome(config_path),
                                           ExpandHome(credentials_path)));
  config = std::make_shared<const SharedConfig>(std::move(shared));
  return Status::Ok();
}

Status Session::State::ChooseProfile() {
  profile_explicit = !options.profile.empty();
  profile = profile_explicit ? options.profile : Env("AWS_PROFILE");
  if (profile.empty()) profile = "default";
  if ((profile_explicit || !Env("AWS_PROFILE").empty()) && !config->HasProfile(profile)) {
    return Status::InvalidArgument("AWS profile " + profile + " is not defined in " +
                                   config->config_path + " or " + config->credentials_path);
  }
  std::string services = Setting("services");
  if (!services.empty() && config->config.services.count(services) == 0) {
    return Status::InvalidArgument(config->Where(profile) + ": profile " + profile +
                                   " names services " + services +
                                   ", but there is no [services " + services + "] section");
  }
  return Status::Ok();
}

Status Session::State::ChooseRegion() {
  region = options.region;
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (region.empty()) region = Env(name);
  }
  if (region.empty()) region = Setting("region");
  if (region.empty()) {
    return Status::InvalidArgument(
        "no AWS region: set region: in the target, AWS_REGION, or region in profile " + profile +
        " of " + config->config_path);
  }
  return Status::Ok();
}

Status Session::State::ChooseRetries() {
  retry = parts.retry.value_or(RetryOptions{});
  retry.max_attempts = options.max_attempts;
  const std::pair<std::string, std::string> sources[] = {
      {Env("AWS_MAX_ATTEMPTS"), "AWS_MAX_ATTEMPTS"},
      {Setting("max_attempts"), "max_attempts in profile " + profile}};
  for (const auto& [value, origin] : sources) {
    if (retry.max_attempts > 0 || value.empty()) continue;
    int attempts = 0;
    if (std::sscanf(value.c_str(), "%d", &attempts) != 1 || attempts < 1 ||
        std::to_string(attempts) != value) {
      return Status::InvalidArgument(origin + " must be a whole number of at least 1, not '" +
                                     value + "'");
    }
    retry.max_attempts = attempts;
  }
  if (retry.max_attempts <= 0) retry.max_attempts = 3;
  quota = std::make_shared<RetryQuota>(retry);
  return Status::Ok();
}

Session::Session(std::unique_ptr<State> state) : state_(std::move(state)) {}
Session::~Session() = default;

const std::string& Session::region() const { return state_->region; }

std::string Session::EndpointFor(std::string_view service) const {
  const State& s = *state_;
  if (!s.options.endpoint_url.empty() && service != "sts") {
    return TrimSlash(s.options.endpoint_url);
  }
  bool ignore = IsTrue(s.Env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) ||
                IsTrue(s.Setting("ignore_configured_endpoint_urls"));
  if (!ignore) {
    // The SDKs' order: service variable, global variable, the profile's services section,
    // the profile's endpoint_url.
    std::string url = s.Env("AWS_ENDPOINT_URL_" + Upper(service));
    if (url.empty()) url = s.Env("AWS_ENDPOINT_URL");
    if (url.empty()) {
      auto section = s.config->config.services.find(s.Setting("services"));
      if (section != s.config->config.services.end()) {
        auto block = section->second.nested.find(std::string(service));
        if (block != section->second.nested.end()) {
          auto it = block->second.find("endpoint_url");
          if (it != block->second.end()) url = it->second;
        }
      }
    }
    if (url.empty()) url = s.Setting("endpoint_url");
    if (!url.empty()) return TrimSlash(url);
  }
  std::string suffix = s.region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
  return "https://" + std::string(service) + "." + s.region + suffix;
}

ServiceClientParts Session::ClientParts() const {
  ServiceClientParts parts;
  parts.http = state_->parts.http;
  parts.quota = state_->quota;
  parts.retry = state_->retry;
  parts.environment = *state_->parts.retry_environment;
  std::lock_guard<std::mutex> lock(state_->mu);
  if (state_->credentials == nullptr) {
    CredentialsContext context;
    context.getenv = state_->options.getenv;
    context.config = state_->config;
    context.profile = state_->profile;
    context.profile_explicit = state_->profile_explicit;
    context.http = state_->parts.http;
    context.processes = state_->parts.processes;
    context.read_file = state_->parts.read_file;
    context.clock = parts.environment.clock;
    context.sts_endpoint = {"sts", state_->region, EndpointFor("sts")};
    context.sts_parts = parts;
    state_->credentials = NewDefaultCredentialsChain(std::move(context));
  }
  parts.credentials = state_->credentials;
  return parts;
}

Result<std::unique_ptr<JsonService>> Session::Json(std::string_view service) {
  auto info = std::find_if(kJsonServices.begin(), kJsonServices.end(),
                           [&](const JsonServiceInfo& i) { return i.name == service; });
  if (info == kJsonServices.end()) {
    return Status::InvalidArgument("no JSON AWS service called '" + std::string(service) +
                                   "' (known: dynamodb, glue, athena, kms)");
  }
  auto client = std::make_shared<const ServiceClient>(
      ServiceEndpoint{std::string(service), state_->region, EndpointFor(service)}, ClientParts());
  return NewJsonService(std::move(client),
                        JsonProtocol{std::string(info->version), std::string(info->target_prefix)});
}

std::shared_ptr<const ServiceClient> Session::Client(std::string_view service) {
  return std::make_shared<const ServiceClient>(
      ServiceEndpoint{std::string(service), state_->region, EndpointFor(service)}, ClientParts());
}

Result<CallerIdentity> Session::Caller() {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->caller) return *state_->caller;
  }
  std::string sts = EndpointFor("sts");
  auto is_aws = [](const std::string& url) {
    return url.ends_with(".amazonaws.com") || url.ends_with(".amazonaws.com.cn");
  };
  bool served_elsewhere = false;
  for (const JsonServiceInfo& info : kJsonServices) {
    served_elsewhere = served_elsewhere || !is_aws(EndpointFor(info.name));
  }
  if (served_elsewhere && is_aws(sts)) {
    return Status::FailedPrecondition(
        "not asking STS who the caller is: the session's services point away from AWS, but STS "
        "would be " + sts + "; set AWS_ENDPOINT_URL_STS to ask a local STS");
  }
  StsClient client(std::make_shared<const ServiceClient>(
      ServiceEndpoint{"sts", state_->region, sts}, ClientParts()));
  STRATA_ASSIGN_OR_RETURN(CallerIdentity identity, client.GetCallerIdentity());
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->caller = identity;
  return identity;
}

Result<Credentials> Session::ResolveCredentials() { return ClientParts().credentials->Get(); }

HttpOptions HttpOptionsFromEnvironment(const GetEnv& getenv) {
  auto first = [&getenv](const char* lower, const char* upper) {
    for (const char* name : {lower, upper}) {
      if (auto v = getenv(name); v && !v->empty()) return *v;
    }
    return std::string();
  };
  HttpOptions http;
  http.https_proxy = first("https_proxy", "HTTPS_PROXY");
  http.http_proxy = first("http_proxy", "HTTP_PROXY");
  http.no_proxy = first("no_proxy", "NO_PROXY");
  return http;
}

Result<ServiceSession> OpenServiceSession(const ServiceSessionOptions& options) {
  auto env = [&options](const std::string& name) {
    auto v = options.getenv(name);
    return v ? *v : std::string();
  };
  SessionOptions o;
  o.getenv = options.getenv;
  o.home_dir = env("HOME");
  o.region = options.region;
  o.profile = options.profile;
  o.endpoint_url = options.endpoint_url;
  o.http = HttpOptionsFromEnvironment(options.getenv);
  const std::string label =
      options.target.empty() ? "the AWS environment" : "target " + options.target;
  auto session = Session::Open(o);
  if (!session.ok()) return session.status().WithContext(label);
  ServiceSession out;
  out.endpoint = options.endpoint_url;
  std::string upper = options.service;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (out.endpoint.empty()) out.endpoint = env("AWS_ENDPOINT_URL_" + upper);
  if (out.endpoint.empty()) out.endpoint = env("AWS_ENDPOINT_URL");
  if (out.endpoint.empty()) {
    out.endpoint = "https://" + options.service + "." + (*session)->region() + ".amazonaws.com";
  }
  auto client = (*session)->Json(options.service);
  if (!client.ok()) return client.status().WithContext(label);
  out.session = std::move(session).value();
  out.client = std::move(client).value();
  return out;
}

}  // namespace strata::aws
