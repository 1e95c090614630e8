// Shared by the postgres_apply*.cc files (not a public contract): creating, replacing, dropping
// and finding objects and parts with the messages Apply promises, and keeping name-sorted lists
// sorted.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "engine/state/canonical_glue_postgres.h"
#include "engine/state/postgres_keys.h"
#include "engine/status.h"
#include "proto/commit.pb.h"

namespace strata::pg_apply {

using Indexes = google::protobuf::RepeatedPtrField<pb::PgIndex>;

template <typename Repeated>
int IndexByName(const Repeated& items, const std::string& name) {
  for (int i = 0; i < items.size(); ++i) {
    if (items.Get(i).name() == name) return i;
  }
  return -1;
}

// Appends and moves the item back to its place: lists stay sorted by name.
template <typename Repeated, typename Item>
void InsertSorted(Repeated* items, const Item& item) {
  *items->Add() = item;
  for (int i = items->size() - 1; i > 0 && items->Get(i - 1).name() > items->Get(i).name(); --i) {
    items->SwapElements(i, i - 1);
  }
}

// A map entry by key, or NotFound "postgres <what> <key> does not exist".
template <typename Map>
Result<typename Map::mapped_type*> Find(Map* map, const std::string& key, std::string_view what) {
  auto it = map->find(key);
  if (it == map->end()) {
    return Status::NotFound(fmt::format("postgres {} {} does not exist", what, key));
  }
  return &it->second;
}

template <typename Map>
Status Create(Map* map, const std::string& key, const typename Map::mapped_type& value,
              std::string_view what) {
  if (map->count(key)) {
    return Status::AlreadyExists(fmt::format("postgres {} {} already exists", what, key));
  }
  CanonicalizePgObject(&((*map)[key] = value));
  return Status::Ok();
}

template <typename Map>
Status Replace(Map* map, const std::string& key, const typename Map::mapped_type& value,
               std::string_view what) {
  STRATA_ASSIGN_OR_RETURN(auto* existing, Find(map, key, what));
  *existing = value;
  CanonicalizePgObject(existing);
  return Status::Ok();
}

template <typename Map>
Status Drop(Map* map, const std::string& key, std::string_view what) {
  if (!map->erase(key)) {
    return Status::NotFound(fmt::format("postgres {} {} does not exist", what, key));
  }
  return Status::Ok();
}

inline Result<pb::PgTable*> FindTable(pb::PostgresSchema* s, const std::string& schema,
                                      const std::string& table) {
  return Find(s->mutable_tables(), PgKey(schema, table), "table");
}

// The index list of a table or of a materialized view (tables and views share names).
Result<Indexes*> FindIndexOwner(pb::PostgresSchema* s, const std::string& schema,
                                const std::string& owner);

// The part `name` of `items`, or NotFound "postgres <what> schema.table.name does not exist".
template <typename Repeated>
Result<int> FindPart(const Repeated& items, std::string_view what, const std::string& owner_key,
                     const std::string& name) {
  int i = IndexByName(items, name);
  if (i < 0) {
    return Status::NotFound(fmt::format("postgres {} {}.{} does not exist", what, owner_key, name));
  }
  return i;
}

// Changes to columns, constraints, indexes and triggers (postgres_apply_table.cc).
Status ApplyTablePart(const pb::PostgresChange& c, pb::PostgresSchema* s);
// Renames, SetDefinition, SetPartition and the fallback objects (postgres_apply_identity.cc).
Status ApplyIdentityChange(const pb::PostgresChange& c, pb::PostgresSchema* s);
// The tables a column change to table `key` recurses into: its partitions and the tables that
// inherit from it.
std::vector<pb::PgTable*> ColumnHeirs(pb::PostgresSchema* s, const std::string& key);
// SetComment (postgres_apply_comment.cc).
Status SetComment(const pb::PgSetComment& e, pb::PostgresSchema* s);
// Storage, view options, inheritance, foreign tables and servers, event triggers
// (postgres_apply_storage.cc).
Status ApplyStorage(const pb::PostgresChange& c, pb::PostgresSchema* s);
// InvalidArgument when ReplaceFunction would turn a function into an aggregate or back, which
// CREATE OR REPLACE cannot do; Ok otherwise (a missing function is Replace's to report).
Status CheckRoutineKindKept(const pb::PgFunction& f, const pb::PostgresSchema& s);
// SetRowSecurity, CreatePolicy, DropPolicy, SetAcl and SetDefaultPrivileges
// (postgres_apply_security.cc).
Status ApplySecurity(const pb::PostgresChange& c, pb::PostgresSchema* s);
// Runs `apply` with the implicit namespace ("public", see postgres_security.h) present when
// `c` sets its comment or ACL, and removes the entry again when it ends up bare.
Status WithImplicitNamespace(const pb::PostgresChange& c, pb::PostgresSchema* s,
                             Status (*apply)(const pb::PostgresChange&, pb::PostgresSchema*));

}  // namespace strata::pg_apply
