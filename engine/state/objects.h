// Object names: how users and the index name the things a schema holds.
//
// DynamoDB tables are "orders"; Glue databases "sales" and tables "sales.orders"; PostgreSQL
// namespaces "public", relations/types "public.users", functions "public.f(integer)",
// extensions "ext:pgcrypto", event triggers "evt:no_drops", foreign servers "server:remote" and
// default privileges "defaults:role/schema/TABLES". A column or attribute adds one more part
// ("public.users.email").
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "proto/commit.pb.h"

namespace strata {

// The top-level objects an event touches, given the state *before* it (a dropped Glue
// database touches each of its tables too). Sorted, unique.
std::vector<std::string> TouchedObjects(const pb::Event& event, const pb::SchemaState& before);

// For an event that renames a whole object (a PostgreSQL table, view, sequence, type,
// function or schema): its name before and after; two empty strings otherwise.
std::pair<std::string, std::string> RenameOf(const pb::Event& event);

// The objects whose state `object` needs: itself and the objects it lives in ("sales.orders"
// -> "sales", "public.users" -> "public"). Extensions, event triggers, foreign servers and
// default privileges have no parent.
std::vector<std::string> ObjectAndParents(const std::string& object);

// Per-engine halves, each in its own file; they append to `out`.
// The table a DynamoDB change is about (a field of `change`); empty for an unset change.
const std::string& DynamoTableOf(const pb::DynamoChange& change);
void TouchedDynamo(const pb::DynamoChange& change, std::vector<std::string>* out);
void TouchedGlue(const pb::GlueChange& change, const pb::GlueSchema& before,
                 std::vector<std::string>* out);
void TouchedPostgres(const pb::PostgresChange& change, std::vector<std::string>* out);

}  // namespace strata

namespace strata {

// What an event does to the top-level object it is about (decided on the typed change, never
// on display text): brings it into being, removes it, or changes it.
enum class ObjectEffect { kChanges, kCreates, kDrops };
ObjectEffect EffectOf(const pb::Event& event);

}  // namespace strata
