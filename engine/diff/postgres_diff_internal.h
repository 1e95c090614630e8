// Shared by the postgres_diff*.cc files (not a public contract): building events, comparing
// objects up to their comment, diffing maps of whole objects, and the table and index diffs.
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

// ---- Privileges of whole objects (postgres_diff_security.cc) ------------------------------

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

// A comment-only change is a SetComment; any other change but the ACL replaces the object
// (Kind::Alter, keeping a's ACL), and an ACL change is a SetAcl of its own, so grants read as
// grants.
template <typename Kind, typename Object>
void Alter(const Object& a, const Object& b, std::vector<pb::Event>* out) {
  const Object rest_as_a = WithAcl(b, AclOf(a));
  if (!google::protobuf::util::MessageDifferencer::Equals(a, rest_as_a)) {
    if (SameButComment(a, rest_as_a)) {
      SetComment(Kind::RefTo(b), b.comment(), out);
    } else {
      Kind::Alter(rest_as_a, NewChange(out));
    }
  }
  SetAclIfChanged(AclOf(a), AclOf(b), Kind::RefTo(b), out);
}

// Creates of the objects of `b` missing from `a` and changes to the others (Alter above).
// Keys in order.
template <typename Kind, typename Map>
void CreateOrAlter(const Map& a, const Map& b, std::vector<pb::Event>* out) {
  for (const auto& key : SortedKeys(a, b)) {
    auto in_a = a.find(key);
    auto in_b = b.find(key);
    if (in_b == b.end()) continue;  // dropped by DropRemoved
    const auto& target = in_b->second;
    if (in_a == a.end()) {
      Kind::Create(target, NewChange(out));
    } else if (!google::protobuf::util::MessageDifferencer::Equals(in_a->second, target)) {
      Alter<Kind>(in_a->second, target, out);
    }
  }
}

// Drops of the objects of `a` missing from `b`, keys in order.
template <typename Kind, typename Map>
void DropRemoved(const Map& a, const Map& b, std::vector<pb::Event>* out) {
  for (const auto& key : SortedKeys(a, b)) {
    if (!b.count(key)) Kind::Drop(a.at(key), NewChange(out));
  }
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

// ---- Storage, view options, inheritance, foreign data, event triggers, aggregates ----------
// (postgres_diff_storage.cc)

using Functions = google::protobuf::Map<std::string, pb::PgFunction>;

// True when `a` cannot become `b` in place: a table turns into a foreign table or back.
bool TableRecreated(const pb::PgTable& a, const pb::PgTable& b);
// SetTableStorage and SetForeignTable for a kept table.
void DiffTableStorage(const pb::PgTable& a, const pb::PgTable& b, std::vector<pb::Event>* out);
// SetInherits for a kept table. It goes after every column change: a column change of a
// parent reaches the tables inheriting from it, and a new parent's columns are the child's
// already (INHERIT requires them).
void DiffInherits(const pb::PgTable& a, const pb::PgTable& b, std::vector<pb::Event>* out);
// SetViewOptions for a view whose definition is unchanged.
void DiffViewOptions(const pb::PgView& a, const pb::PgView& b, std::vector<pb::Event>* out);
// Drops the functions that become aggregates or stop being ones (CREATE OR REPLACE cannot
// change a routine's kind) and returns `a` without them (in `*scratch` when there are any), so
// they are then created anew.
const Functions& DropRekindedFunctions(const Functions& a, const Functions& b, Functions* scratch,
                                       std::vector<pb::Event>* out);
// Creates and changes of foreign servers (before foreign tables use them) and event triggers
// (after the functions they run).
void CreateAndAlterServersAndEventTriggers(const pb::PostgresSchema& a,
                                           const pb::PostgresSchema& b,
                                           std::vector<pb::Event>* out);
// Drops of removed event triggers (before their functions) and foreign servers (after the
// foreign tables on them).
void DropEventTriggersAndServers(const pb::PostgresSchema& a, const pb::PostgresSchema& b,
                                 std::vector<pb::Event>* out);

// ---- Security state (postgres_diff_security.cc) -------------------------------------------

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
