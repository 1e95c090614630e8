#include "adapters/postgres/describe_identity.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace strata::postgres {
namespace {

// "column", "table", "index": the kind as people name it.
std::string KindWord(pb::PgObjectKind kind) {
  std::string word = pb::PgObjectKind_Name(kind).substr(sizeof("PG_OBJECT_") - 1);
  std::transform(word.begin(), word.end(), word.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::replace(word.begin(), word.end(), '_', ' ');
  return word;
}

// The part of a table a ref names ("column title"), or the object itself ("table").
std::string Named(const pb::PgObjectRef& r) {
  switch (r.kind()) {
    case pb::PG_OBJECT_COLUMN:
    case pb::PG_OBJECT_INDEX:
    case pb::PG_OBJECT_CONSTRAINT:
    case pb::PG_OBJECT_TRIGGER:
    case pb::PG_OBJECT_POLICY: return fmt::format("{} {}", KindWord(r.kind()), r.sub());
    case pb::PG_OBJECT_SCHEMA: return fmt::format("schema {}", r.name());
    default: return KindWord(r.kind());
  }
}

}  // namespace

std::optional<backend::ChangeText> DescribeIdentityChange(const pb::PostgresChange& c) {
  using C = pb::PostgresChange;
  switch (c.kind_case()) {
    case C::kRename:
      return backend::ChangeText{
          '~', fmt::format("rename {} to {}", Named(c.rename().target()), c.rename().new_name())};
    case C::kSetDefinition: {
      const auto& e = c.set_definition();
      std::string text = fmt::format("{} definition now {}", Named(e.target()), e.definition());
      if (!e.parent_index().empty()) text += fmt::format(" (attached to {})", e.parent_index());
      return backend::ChangeText{'~', std::move(text)};
    }
    case C::kSetPartition: {
      const auto& p = c.set_partition().partition_of();
      if (p.parent().empty()) return backend::ChangeText{'~', "detach partition"};
      return backend::ChangeText{
          '~', fmt::format("attach partition of {} {}{}", p.parent(), p.bound(),
                           p.detach_pending() ? " (detach pending)" : "")};
    }
    case C::kCreateOther:
      return backend::ChangeText{
          '+', fmt::format("create {} (kept as its definition)", c.create_other().object().kind())};
    case C::kReplaceOther:
      return backend::ChangeText{
          '~', fmt::format("replace {} (kept as its definition)", c.replace_other().object().kind())};
    case C::kDropOther:
      return backend::ChangeText{'-', fmt::format("drop {}", c.drop_other().kind())};
    default: break;
  }
  return std::nullopt;
}

}  // namespace strata::postgres
