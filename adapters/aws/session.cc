#include "adapters/aws/session.h"

#include <fmt/format.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "adapters/aws/xml_text.h"

namespace strata::aws {
namespace {

struct JsonProtocol {
  const char* content_type;
  const char* target_prefix;
};

std::optional<JsonProtocol> ProtocolOf(std::string_view service) {
  if (service == "dynamodb") return JsonProtocol{"application/x-amz-json-1.0", "DynamoDB_20120810"};
  if (service == "glue") return JsonProtocol{"application/x-amz-json-1.1", "AWSGlue"};
  if (service == "athena") return JsonProtocol{"application/x-amz-json-1.1", "AmazonAthena"};
  return std::nullopt;
}

std::string Upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(fmt::format("cannot read {}", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<std::string> RunShell(const std::string& command) {
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return Status::IoError("cannot start the command");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  if (rc != 0) {
    return Status::FailedPrecondition(fmt::format(
        "the command exited with status {}", WIFEXITED(rc) ? WEXITSTATUS(rc) : rc));
  }
  return out;
}

// The service's error: JSON (__type / message) or XML (<Code>/<Message>), plus headers.
ServiceError ParseError(const HttpResponse& r) {
  ServiceError e;
  e.http_status = r.status;
  e.request_id = r.Header("x-amzn-requestid");
  if (e.request_id.empty()) e.request_id = r.Header("x-amz-request-id");
  std::string type = r.Header("x-amzn-errortype");
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (!j.is_discarded() && j.is_object()) {
    if (j.contains("__type") && j["__type"].is_string()) type = j["__type"].get<std::string>();
    else if (j.contains("code") && j["code"].is_string()) type = j["code"].get<std::string>();
    for (const char* k : {"message", "Message", "errorMessage"}) {
      if (j.contains(k) && j[k].is_string()) e.message = j[k].get<std::string>();
    }
  } else if (r.body.find("<") != std::string::npos) {
    type = XmlElementText(r.body, "Code");
    e.message = XmlElementText(r.body, "Message");
    if (e.request_id.empty()) e.request_id = XmlElementText(r.body, "RequestId");
  }
  type = type.substr(0, type.find(':'));
  if (auto hash = type.rfind('#'); hash != std::string::npos) type = type.substr(hash + 1);
  e.code = type;
  if (e.code.empty()) e.code = fmt::format("HTTP{}", r.status);
  return e;
}

bool IsCredentialError(const std::string& code) {
  return code == "UnrecognizedClientException" || code == "InvalidSignatureException" ||
         code == "SignatureDoesNotMatch" || code == "InvalidClientTokenId" ||
         code == "ExpiredToken" || code == "ExpiredTokenException" || code == "AccessDenied" ||
         code == "AccessDeniedException" || code == "MissingAuthenticationToken" ||
         code == "IncompleteSignature" || code == "AuthFailure";
}

class JsonClient : public JsonService {
 public:
  JsonClient(Session* session, std::string service, std::string endpoint, JsonProtocol protocol)
      : session_(session), service_(std::move(service)), endpoint_(std::move(endpoint)), protocol_(protocol) {}

  Result<nlohmann::json> Call(std::string_view operation, const nlohmann::json& input,
                              ServiceError* error) override {
    Session::Call call;
    call.service = service_;
    call.operation = std::string(operation);
    call.request.method = "POST";
    call.request.url = endpoint_ + "/";
    call.request.headers = {{"Content-Type", protocol_.content_type},
                            {"X-Amz-Target", std::string(protocol_.target_prefix) + "." + call.operation}};
    call.request.body = input.is_null() ? "{}" : input.dump();
    STRATA_ASSIGN_OR_RETURN(HttpResponse r, session_->Send(call, error));
    if (r.body.empty()) return nlohmann::json::object();
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_discarded()) {
      return Status::Unavailable(fmt::format("{} {}: the answer from {} is not JSON", service_,
                                             operation, endpoint_));
    }
    return j;
  }
  std::string_view service() const override { return service_; }

 private:
  Session* session_;
  std::string service_, endpoint_;
  JsonProtocol protocol_;
};

}  // namespace

struct Session::State {
  SessionOptions options;
  SharedConfig files;
  bool profile_explicit = false;
  int max_attempts = 3;
  std::shared_ptr<HttpClient> http;
  RetryQuota quota;
  std::mutex mu;
  std::optional<Credentials> credentials;
  std::optional<Result<CallerIdentity>> caller;
  std::mt19937_64 rng{std::random_device{}()};

  std::optional<std::string> Env(const char* name) const {
    if (!options.getenv) return std::nullopt;
    auto v = options.getenv(name);
    if (!v || v->empty()) return std::nullopt;
    return v;
  }
  double Random() {
    std::lock_guard<std::mutex> lock(mu);
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  }
};

Session::~Session() = default;

Result<std::unique_ptr<Session>> Session::Open(SessionOptions options) {
  auto s = std::unique_ptr<Session>(new Session());
  s->state_ = std::make_unique<State>();
  State& st = *s->state_;
  st.options = std::move(options);
  const SessionOptions& o = st.options;
  if (!st.options.now_unix) {
    st.options.now_unix = [] {
      return static_cast<int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count());
    };
  }
  if (!st.options.sleep) {
    st.options.sleep = [](double secs) {
      std::this_thread::sleep_for(std::chrono::duration<double>(secs));
    };
  }
  if (!st.options.run_process) st.options.run_process = RunShell;
  st.http = o.http_client ? o.http_client : std::shared_ptr<HttpClient>(NewCurlHttpClient(o.http));
  // Profile and shared files.
  st.profile_explicit = !o.profile.empty();
  s->profile_ = !o.profile.empty() ? o.profile : st.Env("AWS_PROFILE").value_or(st.Env("AWS_DEFAULT_PROFILE").value_or("default"));
  const std::string aws_dir = o.home_dir + "/.aws/";
  const std::string cred_path = st.Env("AWS_SHARED_CREDENTIALS_FILE").value_or(aws_dir + "credentials");
  const std::string config_path = st.Env("AWS_CONFIG_FILE").value_or(aws_dir + "config");
  if (auto text = ReadWholeFile(cred_path); text.ok()) {
    STRATA_ASSIGN_OR_RETURN(st.files.credentials, ParseIni(*text, cred_path));
  }
  if (auto text = ReadWholeFile(config_path); text.ok()) {
    STRATA_ASSIGN_OR_RETURN(st.files.config, ParseIni(*text, config_path));
  }
  if (st.profile_explicit && !st.files.HasProfile(s->profile_)) {
    return Status::InvalidArgument(fmt::format("profile {} is in neither {} nor {}", s->profile_,
                                               cred_path, config_path));
  }
  const auto profile = st.files.Profile(s->profile_);
  // Region.
  s->region_ = o.region;
  if (s->region_.empty()) s->region_ = st.Env("AWS_REGION").value_or(st.Env("AWS_DEFAULT_REGION").value_or(""));
  if (s->region_.empty() && profile.count("region")) s->region_ = profile.at("region");
  if (s->region_.empty()) {
    return Status::InvalidArgument(
        "no AWS region: set region: in the target, --region, AWS_REGION, or region in the profile");
  }
  // Attempts.
  std::string attempts = o.max_attempts > 0 ? std::to_string(o.max_attempts) : st.Env("AWS_MAX_ATTEMPTS").value_or(profile.count("max_attempts") ? profile.at("max_attempts") : "3");
  try {
    st.max_attempts = std::max(1, std::stoi(attempts));
  } catch (const std::exception&) {
    return Status::InvalidArgument(fmt::format("AWS_MAX_ATTEMPTS / max_attempts \"{}\" is not a number", attempts));
  }
  return s;
}

std::string Session::EndpointFor(std::string_view service) const {
  const State& st = *state_;
  auto trim = [](std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
  };
  if (!st.options.endpoint_url.empty() && service != "sts") return trim(st.options.endpoint_url);
  const bool ignore = st.Env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").value_or("") == "true";
  if (!ignore) {
    if (auto v = st.Env(("AWS_ENDPOINT_URL_" + Upper(std::string(service))).c_str())) return trim(*v);
    const auto profile = st.files.Profile(profile_);
    if (profile.count("services")) {
      auto section = st.files.config.find("services " + profile.at("services"));
      if (section != st.files.config.end()) {
        auto it = section->second.find(std::string(service) + ".endpoint_url");
        if (it != section->second.end()) return trim(it->second);
      }
    }
    if (profile.count("endpoint_url")) return trim(profile.at("endpoint_url"));
    if (auto v = st.Env("AWS_ENDPOINT_URL")) return trim(*v);
  }
  return fmt::format("https://{}.{}.amazonaws.com", service, region_);
}

Result<std::unique_ptr<JsonService>> Session::Json(std::string_view service) {
  auto protocol = ProtocolOf(service);
  if (!protocol) return Status::InvalidArgument(fmt::format("no JSON client for the AWS service \"{}\"", service));
  return std::unique_ptr<JsonService>(new JsonClient(this, std::string(service), EndpointFor(service), *protocol));
}

Result<Credentials> Session::CurrentCredentials() {
  State& st = *state_;
  std::lock_guard<std::mutex> lock(st.mu);
  const int64_t now = st.options.now_unix();
  // Refresh five minutes before expiry, as the SDKs do.
  if (st.credentials && (st.credentials->expires_unix == 0 || st.credentials->expires_unix - 300 > now)) {
    return *st.credentials;
  }
  CredentialSources src;
  src.getenv = st.options.getenv;
  src.files = st.files;
  src.profile = profile_;
  src.profile_explicit = st.profile_explicit;
  src.http = st.http.get();
  src.read_file = ReadWholeFile;
  src.run_process = st.options.run_process;
  src.now_unix = st.options.now_unix;
  src.sts_endpoint = EndpointFor("sts");
  src.region = region_;
  STRATA_ASSIGN_OR_RETURN(Credentials c, ResolveCredentials(src));
  st.credentials = c;
  return c;
}

Result<HttpResponse> Session::Send(const Call& call, ServiceError* error) {
  State& st = *state_;
  STRATA_ASSIGN_OR_RETURN(UrlParts url, ParseUrl(call.request.url));
  int retry_cost = 0;
  for (int attempt = 1;; ++attempt) {
    STRATA_ASSIGN_OR_RETURN(Credentials creds, CurrentCredentials());
    HttpRequest req = call.request;
    SigningInput in;
    in.method = req.method;
    in.path = url.path;
    in.query = url.query;
    in.headers = req.headers;
    in.headers.emplace_back("Host", url.HostHeader());
    in.payload = req.body;
    in.region = region_;
    in.service = call.service;
    in.unix_seconds = st.options.now_unix();
    for (auto& h : SignV4(in, creds).headers) req.headers.push_back(std::move(h));
    auto sent = st.http->Send(req);
    ServiceError e;
    bool no_response = !sent.ok();
    if (sent.ok() && sent->status < 300) {
      st.quota.Release(retry_cost);
      return std::move(sent).value();
    }
    if (sent.ok()) e = ParseError(*sent);
    const bool retry = attempt < st.max_attempts && IsRetryable(e.http_status, e.code, no_response) &&
                       st.quota.Acquire(no_response);
    if (!retry) {
      if (error != nullptr) *error = e;
      const std::string tries = attempt > 1 ? fmt::format(" (after {} attempts)", attempt) : "";
      if (no_response) {
        return Status::Unavailable(fmt::format(
            "{} {}: {}{}; is the endpoint right and the server running?", call.service,
            call.operation, sent.status().message(), tries));
      }
      std::string text = DescribeServiceError(call.service, call.operation, e) + tries;
      if (IsRetryable(e.http_status, e.code, false)) return Status::Unavailable(text);
      if (IsCredentialError(e.code)) {
        return Status::FailedPrecondition(text + fmt::format(" (credentials from {})", creds.source));
      }
      return Status::FailedPrecondition(text);
    }
    retry_cost += no_response ? 10 : 5;
    st.options.sleep(BackoffSeconds(attempt, st.Random()));
  }
}

Result<CallerIdentity> Session::Caller() {
  State& st = *state_;
  {
    std::lock_guard<std::mutex> lock(st.mu);
    if (st.caller) return *st.caller;
  }
  const std::string endpoint = EndpointFor("sts");
  Result<CallerIdentity> result = CallerIdentity{};
  if (!st.options.endpoint_url.empty() && endpoint.find(".amazonaws.com") != std::string::npos) {
    result = Status::FailedPrecondition(
        "not asking STS who the caller is: the target uses a local endpoint and STS would be AWS's");
  } else {
    Call call;
    call.service = "sts";
    call.operation = "GetCallerIdentity";
    call.request.url = endpoint + "/";
    call.request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    call.request.body = "Action=GetCallerIdentity&Version=2011-06-15";
    auto r = Send(call, nullptr);
    if (!r.ok()) {
      result = r.status();
    } else {
      CallerIdentity id{XmlElementText(r->body, "Account"), XmlElementText(r->body, "Arn"),
                        XmlElementText(r->body, "UserId")};
      if (id.arn.empty()) result = Status::FailedPrecondition("STS GetCallerIdentity answered without an Arn");
      else result = id;
    }
  }
  std::lock_guard<std::mutex> lock(st.mu);
  st.caller = result;
  return result;
}

std::string DescribeServiceError(std::string_view service, std::string_view operation,
                                 const ServiceError& e) {
  std::string text = fmt::format("{} {}: {}{}{}", service, operation, e.code,
                                 e.message.empty() ? "" : ": ", e.message);
  if (IsCredentialError(e.code)) {
    text = fmt::format("the {} endpoint rejected the credentials ({}: {}); check AWS_PROFILE, "
                       "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
                       service, e.code, e.message);
  }
  return text;
}

}  // namespace strata::aws
