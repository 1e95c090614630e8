// The pieces the catalog readers share: row access, SQL fragments, the session and the
// catalog being assembled. Readers of one area of the catalog live in their own files
// (introspect_*.cc) and are called from Introspect in a fixed order; each issues a fixed
// number of queries, however many objects the database holds. Internal to introspection.
#pragma once

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "adapters/postgres/connection.h"
#include "adapters/postgres/introspect.h"
#include "engine/status.h"
#include "proto/postgres.pb.h"

namespace strata::postgres::introspect {


using Row = std::vector<std::optional<std::string>>;

inline const std::string& Text(const Row& row, int i) {
  static const std::string kEmpty;
  return row[i] ? *row[i] : kEmpty;
}
inline uint32_t Oid(const Row& row, int i) {
  uint32_t v = 0;
  if (row[i]) std::from_chars(row[i]->data(), row[i]->data() + row[i]->size(), v);
  return v;
}
inline bool Bool(const Row& row, int i) { return row[i] && *row[i] == "t"; }
inline int64_t Int(const Row& row, int i) {
  int64_t v = 0;
  if (row[i]) std::from_chars(row[i]->data(), row[i]->data() + row[i]->size(), v);
  return v;
}

// Deparsed text without surrounding whitespace (pg_get_functiondef ends in a newline,
// pg_get_viewdef starts with a space) and, for views, without the final semicolon.
inline std::string Trimmed(std::string_view s, bool drop_semicolon = false) {
  auto space = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  if (drop_semicolon && !s.empty() && s.back() == ';') s.remove_suffix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

// ---- SQL fragments shared by the queries --------------------------------------------------

// Keeps the namespace alias `n` when it is the user's: not a system schema, not excluded.
// Users cannot create schemas named pg_*, so the prefix covers pg_catalog, pg_toast* and
// pg_temp_*.
inline std::string UserSchemaSql(const IntrospectOptions& o, std::string_view n) {
  std::string sql =
      fmt::format("left({0}.nspname, 3) <> 'pg_' AND {0}.nspname <> 'information_schema'", n);
  if (o.exclude_schemas.empty()) return sql;
  std::string list;
  for (const auto& s : o.exclude_schemas) {
    if (!list.empty()) list += ", ";
    list += Connection::QuoteLiteral(s);
  }
  return sql + fmt::format(" AND {}.nspname <> ALL (ARRAY[{}]::text[])", n, list);
}

// Keeps the object `oid` of `catalog` unless it is part of another object: a member of an
// extension (pg_depend deptype 'e') or made with and for another object (deptype 'i': array and
// multirange types, a range's constructor functions, identity sequences).
inline std::string OwnObject(std::string_view catalog, std::string_view oid) {
  return fmt::format(
      "NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = '{}'::regclass "
      "AND x.objid = {} AND x.deptype IN ('e', 'i') "
      // A partitioned table depends on its own key columns ('i'): that makes it no one's part.
      "AND NOT (x.refclassid = x.classid AND x.refobjid = x.objid))",
      catalog, oid);
}

// The comment of object `oid` in `catalog` (part `sub` of it for columns) as `ds.description`:
// a join, because obj_description and col_description cost a lookup per row.
inline std::string CommentJoin(std::string_view catalog, std::string_view oid,
                        std::string_view sub = "0") {
  return fmt::format(
      " LEFT JOIN pg_description ds ON ds.objoid = {} AND ds.classoid = '{}'::regclass "
      "AND ds.objsubid = {} ",
      oid, catalog, sub);
}

// True for a table (pg_class alias `c`) named <prefix><track> with the history table's two
// telling columns.
inline std::string IsHistoryTable(const IntrospectOptions& o, std::string_view c = "c") {
  if (o.history_table_prefix.empty()) return "false";
  return fmt::format(
      "({1}.relkind IN ('r', 'p') AND length({1}.relname) > length({0}) "
      "AND left({1}.relname, length({0})) = {0} "
      "AND (SELECT count(*) FROM pg_attribute h WHERE h.attrelid = {1}.oid "
      "AND NOT h.attisdropped AND h.attname IN ('migration_name', 'migration_hash')) = 2)",
      Connection::QuoteLiteral(o.history_table_prefix), c);
}

// `oid_expr IN (the relations asked for)` when IntrospectOptions::only_relations is set, else
// "true". Every relation-scoped query ANDs this into its WHERE clause.
// The list is the statement's parameter $1 (Session::Query supplies it), so that the text
// stays the same from one capture to the next and the server plans it once.
inline constexpr std::string_view kRelationsParam = "$1::oid[]";
inline std::string RelationFilter(const IntrospectOptions& o, std::string_view oid_expr) {
  if (o.only_relations == nullptr) return "true";
  return fmt::format("{} = ANY({})", oid_expr, kRelationsParam);
}

// The array literal of IntrospectOptions::only_relations ("{1,2,3}").
inline std::string RelationsArray(const IntrospectOptions& o) {
  std::string list = "{";
  for (uint32_t oid : *o.only_relations) {
    if (list.size() > 1) list += ',';
    list += std::to_string(oid);
  }
  return list + "}";
}

// A collation `co` in namespace `cn` as SQL text; pg_catalog ones unqualified.
constexpr std::string_view kCollationText =
    "CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname) "
    "ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END";

// ---- The session: counting, search_path, transaction ---------------------------------------

class Session {
 public:
  // A scoped read (only_relations set) is what an incremental capture repeats after every
  // migration: its statements are prepared once per connection (Connection::ExecPrepared).
  Session(Connection& conn, IntrospectStats* stats, const IntrospectOptions& options)
      : conn_(conn), stats_(stats), scoped_(options.only_relations != nullptr) {
    if (scoped_) relations_ = RelationsArray(options);
  }

  Result<QueryResult> Query(std::string_view what, const std::string& sql) {
    if (stats_) ++stats_->queries;
    std::vector<Param> params;
    if (scoped_ && sql.find(kRelationsParam) != std::string::npos) params.push_back(relations_);
    auto r = scoped_ ? conn_.ExecPrepared(sql, params) : conn_.Exec(sql);
    if (!r.ok()) return r.status().WithContext(fmt::format("reading {}", what));
    return r;
  }

  // Own read-only transaction unless the caller has one; search_path '' for its duration.
  Status Begin() {
    own_transaction_ = !conn_.in_transaction();
    if (own_transaction_) {
      STRATA_RETURN_IF_ERROR(
          Plain("the catalog", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").status());
    } else {
      STRATA_ASSIGN_OR_RETURN(auto r,
                              Plain("search_path", "SELECT current_setting('search_path')"));
      saved_search_path_ = Text(r.rows.at(0), 0);
    }
    return Plain("search_path", "SELECT set_config('search_path', '', true)").status();
  }

  // Ends our transaction, or puts the caller's search_path back. After a failure the
  // caller's transaction is aborted anyway; ours is rolled back.
  Status End(bool ok) {
    if (own_transaction_) return Plain("the catalog", ok ? "COMMIT" : "ROLLBACK").status();
    if (!ok) return Status::Ok();
    return Plain("search_path", fmt::format("SELECT set_config('search_path', {}, true)",
                                            Connection::QuoteLiteral(saved_search_path_)))
        .status();
  }

  const Connection& conn() const { return conn_; }

 private:
  Result<QueryResult> Plain(std::string_view what, const std::string& sql) {
    if (stats_) ++stats_->queries;
    auto r = conn_.Exec(sql);
    if (!r.ok()) return r.status().WithContext(fmt::format("reading {}", what));
    return r;
  }

  Connection& conn_;
  IntrospectStats* stats_;
  bool scoped_;
  std::string relations_;
  bool own_transaction_ = false;
  std::string saved_search_path_;
};

// Objects by oid while rows are joined to them; moved into the schema at the end.
struct Catalog {
  pb::PostgresSchema schema;
  std::unordered_map<std::string, pb::PgTable> tables;
  std::unordered_map<std::string, pb::PgView> views;
  std::unordered_map<std::string, pb::PgType> types;
  std::unordered_set<std::string> history_tables;
  CatalogIdentity identity;  // filled as objects are read; kept only if the caller asks
  // Warnings for people about objects kept in a fallback form ("warning: ..."), in order.
  std::vector<std::string> warnings;
};

// Readers of their own areas, called in this order after the core readers (schemas,
// extensions, relations, columns, types, constraints, indexes, triggers, sequences, enum
// labels, composite attributes, functions) have filled `catalog`. Each issues a fixed number
// of queries. Tables and views are found in `catalog` by oid.
Status ReadPartitions(Session& session, const IntrospectOptions& options, Catalog* catalog);
Status ReadStorage(Session& session, const IntrospectOptions& options, Catalog* catalog);
Status ReadSecurity(Session& session, const IntrospectOptions& options, Catalog* catalog);


}  // namespace strata::postgres::introspect
