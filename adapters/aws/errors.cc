#include "adapters/aws/errors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>

#include "adapters/aws/xml_text.h"

namespace strata::aws {
namespace {

// "aws.protocoltests#FooError:http://internal.amazon.com/..." -> "FooError".
std::string StripNamespace(std::string_view code) {
  if (size_t colon = code.find(':'); colon != std::string_view::npos) code = code.substr(0, colon);
  if (size_t hash = code.rfind('#'); hash != std::string_view::npos) code = code.substr(hash + 1);
  return std::string(code);
}

std::string RequestId(const HttpResponse& response) {
  for (std::string_view name : {"x-amzn-RequestId", "x-amz-request-id", "x-amz-id-2"}) {
    std::string_view id = FindHeader(response.headers, name);
    if (!id.empty()) return std::string(id);
  }
  return "";
}

constexpr std::array<std::string_view, 10> kCredentialsCodes = {
    "UnrecognizedClientException", "InvalidClientTokenId",  "SignatureDoesNotMatch",
    "InvalidSignatureException",   "IncompleteSignature",   "ExpiredToken",
    "ExpiredTokenException",       "AuthFailure",           "InvalidAccessKeyId",
    "MissingAuthenticationToken",
};

// An HTML document where a JSON-protocol answer belongs, with no AWS error type header.
bool IsHtmlPage(const HttpResponse& response) {
  if (!FindHeader(response.headers, "x-amzn-ErrorType").empty()) return false;
  size_t first = response.body.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return false;
  std::string head = response.body.substr(first, 14);
  std::transform(head.begin(), head.end(), head.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return head.rfind("<!doctype html", 0) == 0 || head.rfind("<html", 0) == 0;
}

}  // namespace

ServiceError ParseJsonError(const HttpResponse& response) {
  if (IsHtmlPage(response)) {
    ServiceError error;
    error.http_status = response.status;
    error.request_id = RequestId(response);
    error.code = std::string(kHtmlErrorPage);
    error.message = "the endpoint answered HTTP " + std::to_string(response.status) +
                    " with an HTML page, not an AWS answer (a server without this operation?)";
    return error;
  }
  // Gateways and emulators sometimes answer a JSON service's request in XML (moto does for
  // signature failures); read that rather than report a bare status.
  size_t first = response.body.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && response.body[first] == '<' &&
      FindHeader(response.headers, "x-amzn-ErrorType").empty()) {
    return ParseXmlError(response);
  }
  ServiceError error;
  error.http_status = response.status;
  error.request_id = RequestId(response);
  std::string code(FindHeader(response.headers, "x-amzn-ErrorType"));
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object()) {
    if (code.empty()) {
      for (const char* key : {"__type", "code", "Code"}) {
        if (body.contains(key) && body[key].is_string()) {
          code = body[key].get<std::string>();
          break;
        }
      }
    }
    for (const char* key : {"message", "Message", "errorMessage"}) {
      if (body.contains(key) && body[key].is_string()) {
        error.message = body[key].get<std::string>();
        break;
      }
    }
  }
  error.code = StripNamespace(code);
  if (error.code.empty()) error.code = "HTTP " + std::to_string(response.status);
  if (body.is_object()) error.document = std::move(body);
  return error;
}

ServiceError ParseXmlError(const HttpResponse& response) {
  ServiceError error;
  error.http_status = response.status;
  error.request_id = RequestId(response);
  if (error.request_id.empty()) error.request_id = XmlText(response.body, "RequestId").value_or("");
  error.code = StripNamespace(XmlText(response.body, "Code", "Error").value_or(""));
  error.message = XmlText(response.body, "Message", "Error").value_or("");
  if (error.code.empty()) error.code = "HTTP " + std::to_string(response.status);
  return error;
}

bool IsCredentialsError(std::string_view code) {
  return std::find(kCredentialsCodes.begin(), kCredentialsCodes.end(), code) !=
         kCredentialsCodes.end();
}

std::string DescribeServiceError(std::string_view service, std::string_view operation,
                                 const ServiceError& error, std::string_view credentials_source,
                                 int attempts) {
  std::string what = error.code;
  if (!error.message.empty()) what += ": " + error.message;
  std::string out = std::string(service) + " " + std::string(operation) + ": ";
  if (IsCredentialsError(error.code)) {
    out += "the " + std::string(service) + " endpoint rejected the credentials (" + what +
           "): check AWS_PROFILE / AWS_ACCESS_KEY_ID";
    if (!credentials_source.empty()) {
      out += " (the credentials came from " + std::string(credentials_source) + ")";
    }
  } else {
    out += what;
  }
  if (attempts > 1) out += " (gave up after " + std::to_string(attempts) + " attempts)";
  return out;
}

std::string DescribeUnreachable(std::string_view service, std::string_view endpoint,
                                std::string_view reason, int attempts) {
  std::string out = "cannot reach " + std::string(endpoint) + " (" + std::string(service) +
                    "): " + std::string(reason) +
                    "; is the endpoint right and the server running?";
  if (attempts > 1) out += " (gave up after " + std::to_string(attempts) + " attempts)";
  return out;
}

namespace {

// Characters a credential is made of (access keys, secret keys, session tokens).
bool IsSecretChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=' ||
         c == '_' || c == '-';
}

// Whether text[pos, pos + size) stands alone: no credential character right before or after.
bool IsWholeToken(const std::string& text, size_t pos, size_t size) {
  return (pos == 0 || !IsSecretChar(text[pos - 1])) &&
         (pos + size >= text.size() || !IsSecretChar(text[pos + size]));
}

}  // namespace

std::string RedactSecrets(std::string text, const std::vector<std::string>& secrets) {
  static constexpr std::string_view kRedacted = "<redacted>";
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    const bool short_secret = secret.size() < kMinEmbeddedSecretLength;
    size_t pos = 0;
    while ((pos = text.find(secret, pos)) != std::string::npos) {
      if (short_secret && !IsWholeToken(text, pos, secret.size())) {
        ++pos;
        continue;
      }
      text.replace(pos, secret.size(), kRedacted);
      pos += kRedacted.size();
    }
  }
  return text;
}

}  // namespace strata::aws
