#include "adapters/glue/errors.h"

#include <fmt/format.h>

#include "adapters/aws/retry.h"

namespace strata::glue {
namespace {

bool IsTable(const std::string& object) { return object.find('.') != std::string::npos; }

// "table sales.orders" or "database sales".
std::string Named(const std::string& object) {
  return (IsTable(object) ? "table " : "database ") + object;
}

std::string DatabaseOf(const std::string& object) { return object.substr(0, object.find('.')); }

bool Mentions(const std::string& text, std::string_view word) {
  return text.find(word) != std::string::npos;
}

Status NotFound(std::string_view api, const std::string& object, const aws::ServiceError& e) {
  // Reads treat a missing object as absent; a call that finds it gone ran on a stale plan.
  constexpr std::string_view kStale =
      "it may have been deleted since strata read the catalog: run strata plan again";
  // Glue says which of the two is missing: "Database sales not found." or "Table t not found."
  if (IsTable(object) && Mentions(e.message, "Database")) {
    return Status::NotFound(fmt::format("database {} of table {} does not exist ({}); {}",
                                        DatabaseOf(object), object, api, kStale));
  }
  return Status::NotFound(fmt::format("{} does not exist ({}); {}", Named(object), api, kStale));
}

Status AlreadyExists(std::string_view api, const std::string& object,
                     const aws::ServiceError& e) {
  return Status::AlreadyExists(fmt::format(
      "{} already exists: it was created since strata read the catalog; run strata plan again "
      "(or strata import to record it) (Glue: {})",
      Named(object), e.message));
}

}  // namespace

bool IsEntityNotFound(const aws::ServiceError& error) {
  return error.code == "EntityNotFoundException";
}

Status ExplainError(std::string_view api, const std::string& object, const Status& status,
                    const aws::ServiceError& error) {
  const std::string& code = error.code;
  if (IsEntityNotFound(error)) return NotFound(api, object, error);
  if (code == "AlreadyExistsException") return AlreadyExists(api, object, error);
  if (code == "ConcurrentModificationException") {
    return Status::FailedPrecondition(fmt::format(
        "{} changed since it was read ({} refused: {}); run strata plan again to see it as it "
        "is now",
        Named(object), api, error.message));
  }
  if (code == "InvalidInputException") {
    return Status::InvalidArgument(fmt::format(
        "Glue rejected {} for {}: {}; fix its definition in the schema files and record it with "
        "strata generate",
        api, Named(object), error.message));
  }
  if (code == "AccessDeniedException") {
    return Status::FailedPrecondition(fmt::format(
        "the credentials may not call glue:{} on {} ({}); grant that permission (and Lake "
        "Formation's, if the catalog uses it) or use another profile",
        api, Named(object), error.message));
  }
  if (aws::IsThrottlingCode(code)) {
    // The AWS core has retried already; what is left is to wait or ask less at once.
    return Status(status.code(), fmt::format(
        "Glue kept throttling {} for {} after retries ({}); wait a minute and run the command "
        "again, or send fewer requests at once with --concurrency",
        api, Named(object), error.message));
  }
  if (code == "ResourceNumberLimitExceededException") {
    return Status::FailedPrecondition(fmt::format(
        "{} for {}: a Glue limit was reached ({}); every UpdateTable keeps a table version "
        "(100,000 per table): delete old ones with glue:BatchDeleteTableVersion, or ask AWS for "
        "a higher limit",
        api, Named(object), error.message));
  }
  return status.WithContext(fmt::format("{} for {}", api, Named(object)));
}

Result<nlohmann::json> CallGlue(const Catalog& catalog, std::string_view api,
                                const std::string& object, nlohmann::json input,
                                aws::ServiceError* error) {
  aws::ServiceError local;
  aws::ServiceError* e = error != nullptr ? error : &local;
  *e = aws::ServiceError{};
  if (!catalog.catalog_id.empty()) input["CatalogId"] = catalog.catalog_id;
  auto result = catalog.glue->Call(api, input, e);
  if (!result.ok()) return ExplainError(api, object, result.status(), *e);
  return result;
}

}  // namespace strata::glue
