#include "adapters/aws/credentials.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <ctime>
#include <sstream>

#include "adapters/aws/xml_text.h"

namespace strata::aws {
namespace {

std::string Trim(const std::string& s) {
  auto a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  auto b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

std::optional<std::string> Env(const CredentialSources& s, const char* name) {
  if (!s.getenv) return std::nullopt;
  auto v = s.getenv(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

// "2026-11-22T10:00:00Z" (with or without fractional seconds) -> unix seconds; 0 if unreadable.
int64_t ParseIsoTime(const std::string& text) {
  std::tm tm{};
  std::istringstream in(text);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (in.fail()) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

Result<Credentials> FromJsonDocument(const std::string& body, const std::string& source,
                                     const char* token_field) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument(fmt::format("{} did not answer with a JSON document", source));
  }
  Credentials c;
  c.source = source;
  c.access_key_id = j.value("AccessKeyId", "");
  c.secret_access_key = j.value("SecretAccessKey", "");
  c.session_token = j.value(token_field, "");
  if (j.contains("Expiration") && j["Expiration"].is_string()) {
    c.expires_unix = ParseIsoTime(j["Expiration"].get<std::string>());
  }
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return Status::InvalidArgument(fmt::format("{} answered without AccessKeyId and SecretAccessKey", source));
  }
  return c;
}

Result<std::optional<Credentials>> FromEnvironment(const CredentialSources& s) {
  if (s.profile_explicit) return std::optional<Credentials>();
  auto id = Env(s, "AWS_ACCESS_KEY_ID"), secret = Env(s, "AWS_SECRET_ACCESS_KEY");
  if (!id && !secret) return std::optional<Credentials>();
  if (!id || !secret) {
    return Status::InvalidArgument(fmt::format(
        "{} is set but {} is not; set both (or neither, to use a profile)",
        id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
        id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"));
  }
  Credentials c{*id, *secret, Env(s, "AWS_SESSION_TOKEN").value_or(""), 0, "environment"};
  return std::optional<Credentials>(c);
}

Result<std::optional<Credentials>> FromWebIdentity(const CredentialSources& s,
                                                   const std::map<std::string, std::string>& profile) {
  std::string token_file, role_arn, session_name = "strata";
  if (auto f = Env(s, "AWS_WEB_IDENTITY_TOKEN_FILE"); f && !s.profile_explicit) {
    token_file = *f;
    role_arn = Env(s, "AWS_ROLE_ARN").value_or("");
    session_name = Env(s, "AWS_ROLE_SESSION_NAME").value_or(session_name);
  } else if (profile.count("web_identity_token_file")) {
    token_file = profile.at("web_identity_token_file");
    role_arn = profile.count("role_arn") ? profile.at("role_arn") : "";
    if (profile.count("role_session_name")) session_name = profile.at("role_session_name");
  } else {
    return std::optional<Credentials>();
  }
  if (role_arn.empty()) {
    return Status::InvalidArgument("a web identity token file is set but no role ARN (AWS_ROLE_ARN or role_arn)");
  }
  if (!s.read_file || s.http == nullptr) return Status::Internal("web identity needs file and http access");
  STRATA_ASSIGN_OR_RETURN(std::string token, s.read_file(token_file));
  HttpRequest req;
  req.url = s.sts_endpoint + "/";
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  req.body = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=" + UriEncode(role_arn, true) +
             "&RoleSessionName=" + UriEncode(session_name, true) +
             "&WebIdentityToken=" + UriEncode(Trim(token), true);
  STRATA_ASSIGN_OR_RETURN(HttpResponse resp, s.http->Send(req));
  if (resp.status != 200) {
    return Status::FailedPrecondition(fmt::format(
        "STS AssumeRoleWithWebIdentity for {} failed: {}: {}", role_arn,
        XmlElementText(resp.body, "Code"), XmlElementText(resp.body, "Message")));
  }
  Credentials c;
  c.source = "web identity (" + role_arn + ")";
  c.access_key_id = XmlElementText(resp.body, "AccessKeyId");
  c.secret_access_key = XmlElementText(resp.body, "SecretAccessKey");
  c.session_token = XmlElementText(resp.body, "SessionToken");
  c.expires_unix = ParseIsoTime(XmlElementText(resp.body, "Expiration"));
  if (c.access_key_id.empty()) return Status::FailedPrecondition("STS AssumeRoleWithWebIdentity answered without credentials");
  return std::optional<Credentials>(c);
}

Result<std::optional<Credentials>> FromProfile(const CredentialSources& s,
                                               const std::map<std::string, std::string>& p) {
  const std::string where = "profile " + s.profile;
  if (p.count("aws_access_key_id") || p.count("aws_secret_access_key")) {
    if (!p.count("aws_access_key_id") || !p.count("aws_secret_access_key")) {
      return Status::InvalidArgument(fmt::format(
          "{} has only one of aws_access_key_id and aws_secret_access_key; set both", where));
    }
    Credentials c{p.at("aws_access_key_id"), p.at("aws_secret_access_key"),
                  p.count("aws_session_token") ? p.at("aws_session_token") : "", 0, where};
    return std::optional<Credentials>(c);
  }
  if (p.count("credential_process")) {
    if (!s.run_process) return Status::Internal("credential_process needs a process runner");
    auto out = s.run_process(p.at("credential_process"));
    if (!out.ok()) {
      return out.status().WithContext(fmt::format("credential_process of {}", where));
    }
    auto c = FromJsonDocument(*out, "credential_process of " + where, "SessionToken");
    if (!c.ok()) return c.status();
    return std::optional<Credentials>(*c);
  }
  return std::optional<Credentials>();
}

Result<std::optional<Credentials>> FromContainer(const CredentialSources& s) {
  std::string url;
  if (auto rel = Env(s, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) url = "http://169.254.170.2" + *rel;
  else if (auto full = Env(s, "AWS_CONTAINER_CREDENTIALS_FULL_URI")) url = *full;
  else return std::optional<Credentials>();
  if (s.http == nullptr) return Status::Internal("container credentials need http access");
  HttpRequest req;
  req.method = "GET";
  req.url = url;
  std::string token = Env(s, "AWS_CONTAINER_AUTHORIZATION_TOKEN").value_or("");
  if (auto file = Env(s, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); file && s.read_file) {
    STRATA_ASSIGN_OR_RETURN(token, s.read_file(*file));
    token = Trim(token);
  }
  if (!token.empty()) req.headers.emplace_back("Authorization", token);
  auto resp = s.http->Send(req);
  if (!resp.ok()) return resp.status().WithContext("container credentials");
  if (resp->status != 200) {
    return Status::FailedPrecondition(fmt::format("container credentials endpoint answered HTTP {}", resp->status));
  }
  auto c = FromJsonDocument(resp->body, "container credentials", "Token");
  if (!c.ok()) return c.status();
  return std::optional<Credentials>(*c);
}

Result<std::optional<Credentials>> FromInstanceMetadata(const CredentialSources& s) {
  if (Env(s, "AWS_EC2_METADATA_DISABLED").value_or("") == "true" || s.http == nullptr) {
    return std::optional<Credentials>();
  }
  std::string base = Env(s, "AWS_EC2_METADATA_SERVICE_ENDPOINT").value_or("http://169.254.169.254");
  while (!base.empty() && base.back() == '/') base.pop_back();
  HttpRequest token_req;
  token_req.method = "PUT";
  token_req.url = base + "/latest/api/token";
  token_req.headers = {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}};
  auto token = s.http->Send(token_req);
  // No metadata service (not on EC2): not an error, just no credentials from here.
  if (!token.ok() || token->status != 200) return std::optional<Credentials>();
  auto get = [&](const std::string& path) -> Result<HttpResponse> {
    HttpRequest r;
    r.method = "GET";
    r.url = base + path;
    r.headers = {{"X-aws-ec2-metadata-token", Trim(token->body)}};
    return s.http->Send(r);
  };
  STRATA_ASSIGN_OR_RETURN(HttpResponse roles, get("/latest/meta-data/iam/security-credentials/"));
  std::string role = Trim(roles.body.substr(0, roles.body.find('\n')));
  if (roles.status != 200 || role.empty()) return std::optional<Credentials>();
  STRATA_ASSIGN_OR_RETURN(HttpResponse creds, get("/latest/meta-data/iam/security-credentials/" + role));
  if (creds.status != 200) {
    return Status::FailedPrecondition(fmt::format("instance metadata answered HTTP {} for role {}", creds.status, role));
  }
  auto c = FromJsonDocument(creds.body, "instance metadata (role " + role + ")", "Token");
  if (!c.ok()) return c.status();
  return std::optional<Credentials>(*c);
}

}  // namespace

Result<IniFile> ParseIni(const std::string& text, const std::string& file_name) {
  IniFile ini;
  std::istringstream in(text);
  std::string line, section, last_key;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    const bool indented = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    std::string t = Trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[') {
      if (t.back() != ']') return Status::InvalidArgument(fmt::format("{}:{}: a section header needs a closing ]", file_name, n));
      section = Trim(t.substr(1, t.size() - 2));
      ini[section];
      last_key.clear();
      continue;
    }
    if (indented && !last_key.empty()) {  // a nested setting (services, s3 = ...) or continuation
      auto eq = t.find('=');
      if (eq != std::string::npos) ini[section][last_key + "." + Trim(t.substr(0, eq))] = Trim(t.substr(eq + 1));
      continue;
    }
    auto eq = t.find('=');
    if (eq == std::string::npos || section.empty()) {
      return Status::InvalidArgument(fmt::format(
          "{}:{}: expected \"[section]\" or \"key = value\"", file_name, n));
    }
    last_key = Trim(t.substr(0, eq));
    ini[section][last_key] = Trim(t.substr(eq + 1));
  }
  return ini;
}

std::map<std::string, std::string> SharedConfig::Profile(const std::string& profile) const {
  std::map<std::string, std::string> out;
  auto cfg = config.find(profile == "default" ? "default" : "profile " + profile);
  if (cfg == config.end() && profile == "default") cfg = config.find("profile default");
  if (cfg != config.end()) out = cfg->second;
  if (auto cred = credentials.find(profile); cred != credentials.end()) {
    for (const auto& [k, v] : cred->second) out[k] = v;
  }
  return out;
}

bool SharedConfig::HasProfile(const std::string& profile) const {
  return credentials.count(profile) || config.count("profile " + profile) ||
         (profile == "default" && config.count("default"));
}

Result<Credentials> ResolveCredentials(const CredentialSources& s) {
  if (s.profile_explicit && !s.files.HasProfile(s.profile)) {
    return Status::NotFound(fmt::format(
        "profile {} is in neither ~/.aws/credentials nor ~/.aws/config", s.profile));
  }
  const auto profile = s.files.Profile(s.profile);
  using Step = std::function<Result<std::optional<Credentials>>()>;
  const Step steps[] = {
      [&] { return FromEnvironment(s); },
      [&] { return FromWebIdentity(s, profile); },
      [&] { return FromProfile(s, profile); },
      [&] { return FromContainer(s); },
      [&] { return FromInstanceMetadata(s); },
  };
  for (const auto& step : steps) {
    STRATA_ASSIGN_OR_RETURN(std::optional<Credentials> c, step());
    if (c) return *c;
  }
  return Status::FailedPrecondition(
      "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a "
      "profile with AWS_PROFILE, --profile or the target's profile: (keys or credential_process "
      "in ~/.aws/credentials or ~/.aws/config), or run where container or instance credentials "
      "are available");
}

}  // namespace strata::aws
