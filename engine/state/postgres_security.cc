#include "engine/state/postgres_security.h"

#include <fmt/format.h>

namespace strata {

const std::vector<std::string_view>& PgPrivilegesOf(pb::PgObjectKind kind) {
  // pg_dump's order; MAINTAIN (PostgreSQL 17) last, so an older server's lists keep theirs.
  static const std::vector<std::string_view> kRelation = {
      "SELECT", "INSERT", "REFERENCES", "DELETE", "TRIGGER", "TRUNCATE", "UPDATE", "MAINTAIN"};
  static const std::vector<std::string_view> kColumn = {"SELECT", "INSERT", "REFERENCES",
                                                        "UPDATE"};
  static const std::vector<std::string_view> kSequence = {"USAGE", "SELECT", "UPDATE"};
  static const std::vector<std::string_view> kSchema = {"USAGE", "CREATE"};
  static const std::vector<std::string_view> kFunction = {"EXECUTE"};
  static const std::vector<std::string_view> kType = {"USAGE"};
  static const std::vector<std::string_view> kServer = {"USAGE"};
  static const std::vector<std::string_view> kNone;
  switch (kind) {
    case pb::PG_OBJECT_TABLE:
    case pb::PG_OBJECT_VIEW: return kRelation;
    case pb::PG_OBJECT_COLUMN: return kColumn;
    case pb::PG_OBJECT_SEQUENCE: return kSequence;
    case pb::PG_OBJECT_SCHEMA: return kSchema;
    case pb::PG_OBJECT_FUNCTION: return kFunction;
    case pb::PG_OBJECT_TYPE: return kType;
    case pb::PG_OBJECT_FOREIGN_SERVER: return kServer;
    default: return kNone;
  }
}

pb::PgObjectKind PgDefaultPrivilegesKind(std::string_view object_type) {
  if (object_type == "TABLES") return pb::PG_OBJECT_TABLE;
  if (object_type == "SEQUENCES") return pb::PG_OBJECT_SEQUENCE;
  if (object_type == "FUNCTIONS") return pb::PG_OBJECT_FUNCTION;
  if (object_type == "TYPES") return pb::PG_OBJECT_TYPE;
  if (object_type == "SCHEMAS") return pb::PG_OBJECT_SCHEMA;
  return pb::PG_OBJECT_KIND_UNSPECIFIED;
}

std::string PgDefaultPrivilegesKey(const pb::PgDefaultPrivileges& entry) {
  return fmt::format("{}/{}/{}", entry.role(), entry.schema(), entry.object_type());
}

std::string PgDefaultPrivilegesObject(const pb::PgDefaultPrivileges& entry) {
  return std::string(kPgDefaultPrivilegesPrefix) + PgDefaultPrivilegesKey(entry);
}

}  // namespace strata
