// What a Glue or PostgreSQL change is about: the change's name and the object it addresses.
// Shared by validation (messages name the change and object) and TouchedObjects (the index).
#pragma once

#include <string>

#include "proto/commit.pb.h"

namespace strata {

struct GlueTarget {
  std::string verb;      // the change's oneof field name, e.g. "add_column"; empty when unset
  std::string database;  // as the event spells it (may be empty in an invalid event)
  std::string table;     // empty for database changes
  bool is_table_change = false;
};

GlueTarget GlueTargetOf(const pb::GlueChange& change);

struct PgTarget {
  std::string verb;    // e.g. "add_column"; empty when unset
  std::string object;  // the top-level object touched, named as objects.h describes
};

PgTarget PgTargetOf(const pb::PostgresChange& change);

// The top-level object a PgObjectRef belongs to ("public.users" for one of its columns).
std::string PgOwnerOf(const pb::PgObjectRef& ref);

// True for the changes to storage, inheritance, foreign tables and servers, view options and
// event triggers, which postgres_apply_storage.cc applies and one part of validation checks.
bool IsPgStorageChange(const pb::PostgresChange& change);

}  // namespace strata
