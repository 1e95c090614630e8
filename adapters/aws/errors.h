// Reading AWS error answers into ServiceError, and turning failures into messages that say what
// to do. JSON protocols (DynamoDB, Glue, Athena) put the code in `__type` or the
// x-amzn-ErrorType header; the query protocol (STS) answers XML with <Code> and <Message>.
//
// Messages never carry secrets: RedactSecrets removes any given secret text from a message
// before it leaves the AWS core. All functions are pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "adapters/aws/http.h"
#include "adapters/aws/json_service.h"

namespace strata::aws {

// The error in a JSON-protocol answer. The code loses its namespace
// ("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" -> "ResourceNotFoundException");
// with no code anywhere, the code is "HTTP <status>". An XML body is read as ParseXmlError does.
ServiceError ParseJsonError(const HttpResponse& response);
// The error in a query-protocol (XML) answer.
ServiceError ParseXmlError(const HttpResponse& response);

// True for codes meaning "these credentials are not valid here" (unknown key, bad signature,
// expired token), as opposed to "valid but not allowed".
bool IsCredentialsError(std::string_view code);

// "dynamodb DescribeTable: ResourceNotFoundException: Requested resource not found", or for a
// credentials error "dynamodb ListTables: the dynamodb endpoint rejected the credentials
// (UnrecognizedClientException: ...): check AWS_PROFILE / AWS_ACCESS_KEY_ID (they came from
// <source>)". `attempts` > 1 adds "(gave up after N attempts)".
std::string DescribeServiceError(std::string_view service, std::string_view operation,
                                 const ServiceError& error, std::string_view credentials_source,
                                 int attempts);
// "cannot reach http://127.0.0.1:1 (dynamodb): Couldn't connect to server; is the endpoint
// right and the server running?"; `attempts` > 1 adds "(gave up after N attempts)".
std::string DescribeUnreachable(std::string_view service, std::string_view endpoint,
                                std::string_view reason, int attempts);

// Secrets at least this long are redacted wherever they occur; shorter ones (never a real
// credential, but possible in tests and misconfigured profiles) only where they stand as a
// whole token, so that a secret "dy" leaves "dynamodb" alone.
inline constexpr size_t kMinEmbeddedSecretLength = 8;

// `text` with each non-empty secret replaced by "<redacted>": every occurrence of a long one,
// whole-token occurrences of a short one (kMinEmbeddedSecretLength).
std::string RedactSecrets(std::string text, const std::vector<std::string>& secrets);

}  // namespace strata::aws
