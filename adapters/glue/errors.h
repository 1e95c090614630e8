// Glue's refusals as messages people can act on, always naming the database or table.
//
// Every call the adapter makes goes through CallGlue, which adds the target's catalog id and
// turns Glue's error code into a Status that names the object and says what to do
// ("table sales.orders changed since it was read; run strata plan again"). Pure functions
// apart from the call itself.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "adapters/aws/json_service.h"
#include "engine/status.h"

namespace strata::glue {

// One Glue Data Catalog as the adapter calls it. `catalog_id` is sent as CatalogId with every
// call when set (another account's catalog); empty for the caller's own.
struct Catalog {
  aws::JsonService* glue = nullptr;
  std::string catalog_id;
};

// Calls `api` with `input` about `object` ("sales" for a database, "sales.orders" for a table).
// On failure returns the Status ExplainError gives; fills `*error` (when not null) with Glue's
// answer so callers can branch on its code.
Result<nlohmann::json> CallGlue(const Catalog& catalog, std::string_view api,
                                const std::string& object, nlohmann::json input,
                                aws::ServiceError* error = nullptr);

// Whether Glue said the database or table is not there.
bool IsEntityNotFound(const aws::ServiceError& error);

// The Status for a failed `api` call about `object`:
//   EntityNotFoundException          NotFound "table T does not exist" (or its database); it
//                                    may have been deleted since the read: run strata plan again
//   AlreadyExistsException           AlreadyExists "table T already exists ..."
//   ConcurrentModificationException  FailedPrecondition "table T changed since it was read;
//                                    run strata plan again"
//   InvalidInputException            InvalidArgument with Glue's text and where to fix it
//   AccessDeniedException            FailedPrecondition naming the permission to grant
//   ResourceNumberLimitExceededException  FailedPrecondition naming the limit
//   throttling (after the AWS core's retries)  the same code, saying to wait or to lower
//                                    --concurrency
//   anything else (credentials, transport): the AWS core's message, same code, prefixed with
//   "API for table T".
Status ExplainError(std::string_view api, const std::string& object, const Status& status,
                    const aws::ServiceError& error);

}  // namespace strata::glue
