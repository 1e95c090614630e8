// The check every fuzz input of the AWS error readers goes through (aws_errors_fuzz.cc and the
// seed replay, fuzz_seeds_test.cc). The input is an HTTP answer as text: a status line of digits,
// "Name: value" header lines, an empty line, the body. The contract (adapters/aws/errors.h,
// xml_text.h):
//   - ParseJsonError and ParseXmlError read any answer: the status as given, a code that is never
//     empty and has lost its namespace (no '#'), never a crash or an exception;
//   - XmlText reads back an element written with the five entities: the law
//     XmlText(<Error><Code>Escape(v)</Code></Error>, "Code", "Error") == v, for the body as v;
//   - the message DescribeServiceError makes, redacted, holds no secret of 8 or more bytes (the
//     fixed kFuzzSecret, and the value of an x-fuzz-secret header).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "adapters/aws/errors.h"
#include "adapters/aws/xml_text.h"

namespace strata::fuzz {

inline constexpr std::string_view kFuzzSecret = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";

inline aws::HttpResponse ResponseOf(std::string_view input) {
  aws::HttpResponse response;
  auto next_line = [&input]() {
    const size_t end = input.find('\n');
    std::string_view line = input.substr(0, end);
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    return line;
  };
  for (char c : next_line()) {
    if (c < '0' || c > '9' || response.status > 99999) break;
    response.status = response.status * 10 + (c - '0');
  }
  while (!input.empty()) {
    const std::string_view line = next_line();
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (value.starts_with(' ')) value.remove_prefix(1);
    response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  response.body = std::string(input);
  return response;
}

inline std::string XmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

inline std::string ServiceErrorViolation(std::string_view reader, const aws::ServiceError& error,
                                         const aws::HttpResponse& response) {
  if (error.http_status != response.status) return std::string(reader) + " changed the status";
  if (error.code.empty()) return std::string(reader) + " gave an empty code";
  if (error.code.find('#') != std::string::npos) {
    return std::string(reader) + " kept the code's namespace: " + error.code;
  }
  std::vector<std::string> secrets = {std::string(kFuzzSecret)};
  for (const auto& [name, value] : response.headers) {
    if (name == "x-fuzz-secret" && value.size() >= aws::kMinEmbeddedSecretLength) {
      secrets.push_back(value);
    }
  }
  const std::string described = aws::RedactSecrets(
      aws::DescribeServiceError("dynamodb", "DescribeTable", error, "", 2), secrets);
  for (const std::string& secret : secrets) {
    if (described.find(secret) != std::string::npos) {
      return std::string(reader) + ": a secret survived redaction: " + described;
    }
  }
  return "";
}

inline std::string AwsErrorsViolation(std::string_view input) {
  const aws::HttpResponse response = ResponseOf(input);
  if (std::string bad = ServiceErrorViolation("ParseJsonError", aws::ParseJsonError(response),
                                              response);
      !bad.empty()) {
    return bad;
  }
  if (std::string bad = ServiceErrorViolation("ParseXmlError", aws::ParseXmlError(response),
                                              response);
      !bad.empty()) {
    return bad;
  }
  const std::string xml = "<Error><Code>" + XmlEscape(response.body) + "</Code></Error>";
  const std::optional<std::string> text = aws::XmlText(xml, "Code", "Error");
  if (text != response.body) return "XmlText did not read back an escaped value: " + xml;
  return "";
}

}  // namespace strata::fuzz
