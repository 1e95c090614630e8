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

// Creates of the objects of `b` missing from `a` and changes to the others: a SetComment when
// only the comment differs, else Kind::Alter with the whole object. Keys in order.
template <typename Kind, typename Map>
void CreateOrAlter(const Map& a, const Map& b, std::vector<pb::Event>* out) {
  for (const auto& key : SortedKeys(a, b)) {
    auto in_a = a.find(key);
    auto in_b = b.find(key);
    if (in_b == b.end()) continue;  // dropped by DropRemoved
    const auto& target = in_b->second;
    if (in_a == a.end()) {
      Kind::Create(target, NewChange(out));
    } else if (google::protobuf::util::MessageDifferencer::Equals(in_a->second, target)) {
      continue;
    } else if (SameButComment(in_a->second, target)) {
      SetComment(Kind::RefTo(target), target.comment(), out);
    } else {
      Kind::Alter(target, NewChange(out));
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

}  // namespace strata::pg_diff
