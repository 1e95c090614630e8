// DynamoDB's refusals as messages people can act on, always naming the table.
//
// Every call the adapter makes goes through CallTable, which turns the service's error code
// into a Status with the table named and advice where there is some ("table orders is being
// updated; try again when it is ACTIVE"). Pure functions apart from the call itself.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "adapters/aws/json_service.h"
#include "engine/status.h"

namespace strata::dynamodb {

// Calls `api` with `input` for `table`. On failure returns the Status ExplainError gives;
// fills `*error` (when not null) with the service's answer so callers can branch on its code.
Result<nlohmann::json> CallTable(aws::JsonService& ddb, std::string_view api,
                                 const std::string& table, const nlohmann::json& input,
                                 aws::ServiceError* error = nullptr);

// Whether a service error says the table is not there. DynamoDB answers
// "ResourceNotFoundException"; some compatible servers answer "ResourceNotFound" (moto's
// DescribeTimeToLive), which means the same, and DescribeContinuousBackups answers
// "TableNotFoundException".
bool IsTableNotFound(const aws::ServiceError& error);

// The Status for a failed `api` call on `table`:
//   ResourceInUseException     FailedPrecondition "table T is being created or updated ..."
//                              (CreateTable: "table T already exists")
//   ResourceNotFoundException  NotFound "table T does not exist"
//   LimitExceededException     FailedPrecondition with DynamoDB's text and what to do
//   ValidationException        InvalidArgument "API for table T rejected: <DynamoDB's text>"
//                              (deletion protection gets its own sentence)
//   anything else (credentials, throttling after retries, transport): the aws core's
//   message, same code, prefixed with "API for table T".
Status ExplainError(std::string_view api, const std::string& table, const Status& status,
                    const aws::ServiceError& error);

}  // namespace strata::dynamodb
