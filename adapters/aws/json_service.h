// JsonService: one AWS service that speaks a JSON protocol (DynamoDB: awsJson1.0 with the
// target prefix DynamoDB_20120810; Glue and Athena: awsJson1.1), seen as "call an operation
// with an input document, get the output document".
//
// This is the seam between the AWS core (signing, transport, credentials, retries) and the
// service adapters: adapters take a JsonService&, tests give them an in-memory fake.
// Implementations are thread-safe: Call may run on many threads at once.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "engine/status.h"

namespace strata::aws {

// What the service said when it refused a call (after retries, for retryable errors).
struct ServiceError {
  int http_status = 0;       // 0 when no HTTP answer arrived (connection refused, timeout)
  std::string code;          // the AWS error code without its namespace, e.g.
                             // "ResourceNotFoundException"; empty when there was no answer
  std::string message;       // the service's own message
  std::string request_id;    // x-amzn-RequestId, for support cases
  nlohmann::json document;   // a JSON error body as it came (DynamoDB puts the item a failed
                             // condition found there, with ReturnValuesOnConditionCheckFailure)
};

// The code ServiceError carries when a JSON-protocol call was answered with an HTML page
// instead of an AWS error (AWS's JSON services never do that; emulators answer operations they
// lack this way: moto's HTTP 500 page). Not an AWS code, and never retried: asking again gets
// the same page.
inline constexpr std::string_view kHtmlErrorPage = "HtmlErrorPage";

class JsonService {
 public:
  virtual ~JsonService() = default;

  // Calls `operation` (e.g. "DescribeTable") with `input` (a JSON object) and returns the
  // output document. On failure returns a Status whose message reads well on its own
  // ("dynamodb DescribeTable: ResourceNotFoundException: Requested resource not found"),
  // Unavailable for transport failures and exhausted retries, and fills `*error` (when not
  // null) with the service's answer so callers can branch on the code.
  virtual Result<nlohmann::json> Call(std::string_view operation, const nlohmann::json& input,
                                      ServiceError* error) = 0;

  // The service name used in signing and endpoint resolution ("dynamodb", "glue", ...).
  virtual std::string_view service() const = 0;
};

}  // namespace strata::aws
