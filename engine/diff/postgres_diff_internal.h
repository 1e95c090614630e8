// Shared by postgres_diff.cc and postgres_diff_table.cc (not a public contract): building
// events, comparing objects up to their comment, and the table and index diffs.
#pragma once

#include <google/protobuf/util/message_differencer.h>

#include <set>
#include <string>
#include <vector>

#include "proto/commit.pb.h"

namespace strata::pg_diff {

using Indexes = google::protobuf::RepeatedPtrField<pb::PgIndex>;
using Tables = google::protobuf::Map<std::string, pb::PgTable>;

inline pb::PostgresChange* NewChange(std::vector<pb::Event>* out) {
  out->emplace_back();
  return out->back().mutable_postgres();
}

inline pb::PgObjectRef Ref(pb::PgObjectKind kind, const std::string& schema,
                           const std::string& name, const std::string& sub = "") {
  pb::PgObjectRef ref;
  ref.set_kind(kind);
  ref.set_schema(schema);
  ref.set_name(name);
  ref.set_sub(sub);
  return ref;
}

inline void SetComment(const pb::PgObjectRef& target, const std::string& comment,
                       std::vector<pb::Event>* out) {
  auto* e = NewChange(out)->mutable_set_comment();
  *e->mutable_target() = target;
  e->set_comment(comment);
}

// Equal apart from the comment: a SetComment is then the whole change.
template <typename Message>
bool SameButComment(const Message& a, const Message& b) {
  Message recommented = a;
  recommented.set_comment(b.comment());
  return google::protobuf::util::MessageDifferencer::Equals(recommented, b);
}

template <typename Map>
std::vector<std::string> SortedKeys(const Map& a, const Map& b) {
  std::set<std::string> keys;
  for (const auto& [k, _] : a) keys.insert(k);
  for (const auto& [k, _] : b) keys.insert(k);
  return {keys.begin(), keys.end()};
}

// The indexes of a table or materialized view `owner`: drops of removed or redefined ones,
// then (separately, later) creates of new or redefined ones and comment changes.
void DropIndexes(const std::string& schema, const std::string& owner, const Indexes& a,
                 const Indexes& b, std::vector<pb::Event>* out);
void AddIndexes(const std::string& schema, const std::string& owner, const Indexes& a,
                const Indexes& b, std::vector<pb::Event>* out);

using Views = google::protobuf::Map<std::string, pb::PgView>;

// Drops of removed views and of views that change between plain and materialized.
void DropViews(const Views& a, const Views& b, std::vector<pb::Event>* out);
// Creates (of new and re-created views), replacements, index and comment changes.
void CreateAndAlterViews(const Views& a, const Views& b, std::vector<pb::Event>* out);

// The column changes of one table (postgres_diff_column.cc).
void DiffColumns(const pb::PgTable& a, const pb::PgTable& b, std::vector<pb::Event>* out);

// Every table change, in the order postgres_diff_table.cc describes.
void DiffTables(const Tables& a, const Tables& b, std::vector<pb::Event>* out);

// ---- Security state (postgres_diff_security.cc) -------------------------------------------

// `object` with `acl` in place of its own; objects without an ACL are returned as they are.
template <typename Object>
Object WithAcl(const Object& object, const pb::PgAcl& acl) {
  Object copy = object;
  if constexpr (requires { copy.mutable_acl(); }) {
    // An empty ACL is no ACL (see CanonicalizePgObject).
    if (acl.grants().empty() && acl.revokes().empty()) {
      copy.clear_acl();
    } else {
      *copy.mutable_acl() = acl;
    }
  }
  return copy;
}

// The ACL of `object`; the empty one for objects without an ACL (extensions).
template <typename Object>
pb::PgAcl AclOf(const Object& object) {
  if constexpr (requires { object.acl(); }) {
    return object.acl();
  } else {
    return pb::PgAcl();
  }
}

// A SetAcl of `target` to `b` when the ACL changes: one event per object, carrying the
// object's whole ACL after the change.
void SetAclIfChanged(const pb::PgAcl& a, const pb::PgAcl& b, const pb::PgObjectRef& target,
                     std::vector<pb::Event>* out);
// Drops of removed and redefined policies (before columns change: policies name them).
void DropPolicies(const pb::PgTable& a, const pb::PgTable& b, std::vector<pb::Event>* out);
// Creates of new and redefined policies, and comment changes of the others.
void AddPolicies(const pb::PgTable& a, const pb::PgTable& b, std::vector<pb::Event>* out);
// The row-level security flags and the table's own ACL.
void SetTableSecurity(const pb::PgTable& a, const pb::PgTable& b, std::vector<pb::Event>* out);

using Namespaces = google::protobuf::Map<std::string, pb::PgNamespace>;
// The namespaces without the implicit one ("public"), which DiffImplicitNamespace handles.
Namespaces WithoutImplicitNamespace(const Namespaces& namespaces);
// SetComment and SetAcl of "public": it is never created or dropped, as every database has it.
void DiffImplicitNamespace(const Namespaces& a, const Namespaces& b, std::vector<pb::Event>* out);

using DefaultPrivileges = google::protobuf::Map<std::string, pb::PgDefaultPrivileges>;
// One SetDefaultPrivileges per changed entry; a removed entry is set to the empty ACL.
void DiffDefaultPrivileges(const DefaultPrivileges& a, const DefaultPrivileges& b,
                           std::vector<pb::Event>* out);

}  // namespace strata::pg_diff
