// The JsonService of a real AWS endpoint: awsJson1.0 / awsJson1.1 over a ServiceClient.
// Each call is one signed POST to "/" with X-Amz-Target "<prefix>.<Operation>" and the input
// document as the body. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "adapters/aws/json_service.h"
#include "adapters/aws/service_client.h"

namespace strata::aws {

struct JsonProtocol {
  std::string version;        // "1.0" (DynamoDB) or "1.1" (Glue, Athena)
  std::string target_prefix;  // "DynamoDB_20120810", "AWSGlue", "AmazonAthena"
};

std::unique_ptr<JsonService> NewJsonService(std::shared_ptr<const ServiceClient> client,
                                            JsonProtocol protocol);

}  // namespace strata::aws
