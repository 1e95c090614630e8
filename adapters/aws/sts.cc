#include "adapters/aws/sts.h"

#include <ctime>

#include "adapters/aws/errors.h"
#include "adapters/aws/sigv4.h"
#include "adapters/aws/xml_text.h"

namespace strata::aws {
namespace {

constexpr std::string_view kApiVersion = "2011-06-15";

Status MissingField(std::string_view action, std::string_view field) {
  return Status::Unavailable("sts " + std::string(action) + ": the answer has no " +
                             std::string(field));
}

}  // namespace

std::string FormEncode(const std::map<std::string, std::string>& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out += '&';
    out += UriEncode(key, false) + "=" + UriEncode(value, false);
  }
  return out;
}

StsClient::StsClient(std::shared_ptr<const ServiceClient> client) : client_(std::move(client)) {}

Result<std::string> StsClient::Post(const std::string& action,
                                    std::map<std::string, std::string> params, bool sign,
                                    std::vector<std::string> secrets) const {
  params["Action"] = action;
  params["Version"] = std::string(kApiVersion);
  ServiceCall call;
  call.operation = action;
  call.parse_error = &ParseXmlError;
  call.sign = sign;
  call.secrets = std::move(secrets);
  call.request.method = "POST";
  call.request.url = client_->endpoint().url + "/";
  call.request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  call.request.body = FormEncode(params);
  STRATA_ASSIGN_OR_RETURN(HttpResponse response, client_->Send(call, nullptr));
  return std::move(response.body);
}

Result<CallerIdentity> StsClient::GetCallerIdentity() const {
  STRATA_ASSIGN_OR_RETURN(std::string xml, Post("GetCallerIdentity", {}, true, {}));
  CallerIdentity identity;
  auto arn = XmlText(xml, "Arn", "GetCallerIdentityResult");
  if (!arn) return MissingField("GetCallerIdentity", "Arn");
  identity.arn = *arn;
  identity.account = XmlText(xml, "Account", "GetCallerIdentityResult").value_or("");
  identity.user_id = XmlText(xml, "UserId", "GetCallerIdentityResult").value_or("");
  return identity;
}

Result<Credentials> StsClient::AssumeRole(const AssumeRoleRequest& request) const {
  const bool web_identity = !request.web_identity_token.empty();
  const std::string action = web_identity ? "AssumeRoleWithWebIdentity" : "AssumeRole";
  std::map<std::string, std::string> params = {{"RoleArn", request.role_arn},
                                               {"RoleSessionName", request.session_name}};
  if (!request.external_id.empty()) params["ExternalId"] = request.external_id;
  if (request.duration.count() > 0) {
    params["DurationSeconds"] = std::to_string(request.duration.count());
  }
  std::vector<std::string> secrets;
  if (web_identity) {
    params["WebIdentityToken"] = request.web_identity_token;
    secrets.push_back(request.web_identity_token);
  }
  auto xml = Post(action, std::move(params), /*sign=*/!web_identity, secrets);
  if (!xml.ok()) return xml.status().WithContext("assuming role " + request.role_arn);
  Credentials credentials;
  credentials.access_key_id = XmlText(*xml, "AccessKeyId", "Credentials").value_or("");
  credentials.secret_access_key = XmlText(*xml, "SecretAccessKey", "Credentials").value_or("");
  credentials.session_token = XmlText(*xml, "SessionToken", "Credentials").value_or("");
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return MissingField(action, "Credentials");
  }
  if (auto expiration = XmlText(*xml, "Expiration", "Credentials")) {
    STRATA_ASSIGN_OR_RETURN(credentials.expiration, ParseIso8601(*expiration));
  }
  credentials.source = "role " + request.role_arn + (web_identity ? " (web identity)" : "");
  return credentials;
}

Result<std::chrono::system_clock::time_point> ParseIso8601(std::string_view text) {
  std::tm tm{};
  int consumed = 0;
  std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
    return Status::InvalidArgument("not an ISO 8601 UTC time: " + s);
  }
  std::string_view rest = std::string_view(s).substr(consumed);
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') rest.remove_prefix(1);
  }
  if (rest != "Z" && rest != "+00:00" && rest != "z") {
    return Status::InvalidArgument("not an ISO 8601 UTC time (want a 'Z' ending): " + s);
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace strata::aws
