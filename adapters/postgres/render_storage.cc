// DDL for storage, inheritance, foreign data, view options and event triggers, in the forms
// pg_dump writes: storage parameters and view options quoted (fillfactor='70'), check_option as
// WITH ... CHECK OPTION after the query, foreign options as OPTIONS (name 'value').
#include "adapters/postgres/render_storage.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "adapters/postgres/connection.h"
#include "adapters/postgres/render.h"
#include "adapters/postgres/render_security.h"
#include "engine/state/postgres_keys.h"

namespace strata::postgres::render {
namespace {

using Strings = google::protobuf::RepeatedPtrField<std::string>;

std::string Literal(std::string_view text) { return Connection::QuoteLiteral(text); }

std::string CommentOn(std::string_view what, std::string_view target, std::string_view comment) {
  if (comment.empty()) return "";
  return fmt::format("COMMENT ON {} {} IS {};\n", what, target, Literal(comment));
}

// "key=value" split at the first '=' (keys never hold one; values may).
std::pair<std::string, std::string> KeyValue(const std::string& option) {
  const size_t eq = option.find('=');
  if (eq == std::string::npos) return {option, ""};
  return {option.substr(0, eq), option.substr(eq + 1)};
}

bool IsCheckOption(const std::string& option) { return KeyValue(option).first == "check_option"; }

// key='value' items of WITH (...): keys are the server's own lower-case names (toast.x too).
std::string WithList(const Strings& options) {
  std::vector<std::string> items;
  for (const auto& option : options) {
    if (IsCheckOption(option)) continue;
    auto [key, value] = KeyValue(option);
    items.push_back(key + "=" + Literal(value));
  }
  if (items.empty()) return "";
  return fmt::format("WITH ({})", fmt::join(items, ", "));
}

// OPTIONS (name 'value', ...) of a foreign table or server; names are identifiers.
std::string OptionsList(const Strings& options) {
  std::vector<std::string> items;
  for (const auto& option : options) {
    auto [key, value] = KeyValue(option);
    items.push_back(QuoteIdentIfNeeded(key) + " " + Literal(value));
  }
  if (items.empty()) return "";
  return fmt::format(" OPTIONS ({})", fmt::join(items, ", "));
}

// "schema.table" (a PgKey) as SQL, split at the first dot: a table name may hold dots, a
// schema name that holds one is not told apart.
std::string ParentSql(const std::string& key) {
  const size_t dot = key.find('.');
  if (dot == std::string::npos) return QuoteIdentIfNeeded(key);
  return QualifiedName(key.substr(0, dot), key.substr(dot + 1));
}

bool IsForeign(const pb::PgTable& t) { return !t.foreign().server().empty(); }

}  // namespace

std::string TableKeyword(const pb::PgTable& t) {
  if (IsForeign(t)) return "FOREIGN TABLE";
  return t.unlogged() ? "UNLOGGED TABLE" : "TABLE";
}

std::string TableNoun(const pb::PgTable& t) { return IsForeign(t) ? "FOREIGN TABLE" : "TABLE"; }

std::string TableClausesSql(const pb::PgTable& t) {
  std::string sql;
  if (!t.inherits().empty()) {
    std::vector<std::string> parents;
    for (const auto& p : t.inherits()) parents.push_back(ParentSql(p));
    sql += fmt::format(" INHERITS ({})", fmt::join(parents, ", "));
  }
  if (IsForeign(t)) {
    sql += "\nSERVER " + QuoteIdentIfNeeded(t.foreign().server()) +
           OptionsList(t.foreign().options());
  }
  const std::string with = WithList(t.options());
  if (!with.empty()) sql += "\n" + with;
  return sql;
}

std::vector<const pb::PgTable*> TablesInInheritanceOrder(std::vector<const pb::PgTable*> tables) {
  std::set<std::string> present, placed;
  for (const auto* t : tables) present.insert(PgKey(t->schema(), t->name()));
  auto ready = [&](const pb::PgTable* t) {
    return std::all_of(t->inherits().begin(), t->inherits().end(),
                       [&](const std::string& p) { return placed.count(p) || !present.count(p); });
  };
  // Each round places the tables whose parents are placed (or not in the state); a cycle,
  // impossible on a real server, is broken by placing the rest in key order.
  std::vector<const pb::PgTable*> out;
  while (!tables.empty()) {
    std::vector<const pb::PgTable*> now, waiting;
    for (const auto* t : tables) (ready(t) ? now : waiting).push_back(t);
    if (now.empty()) now.swap(waiting);
    for (const auto* t : now) {
      out.push_back(t);
      placed.insert(PgKey(t->schema(), t->name()));
    }
    tables = std::move(waiting);
  }
  return out;
}

std::string ViewWithSql(const pb::PgView& v) {
  const std::string with = WithList(v.options());
  return with.empty() ? "" : " " + with;
}

std::string ViewCheckOptionSql(const pb::PgView& v) {
  for (const auto& option : v.options()) {
    if (!IsCheckOption(option)) continue;
    std::string level = KeyValue(option).second;
    std::transform(level.begin(), level.end(), level.begin(), ::toupper);
    return "\nWITH " + level + " CHECK OPTION";
  }
  return "";
}

std::string ForeignServerDdl(const pb::PgForeignServer& s) {
  const std::string name = QuoteIdentIfNeeded(s.name());
  std::string sql = "CREATE SERVER " + name;
  if (!s.type().empty()) sql += " TYPE " + Literal(s.type());
  if (!s.version().empty()) sql += " VERSION " + Literal(s.version());
  sql += " FOREIGN DATA WRAPPER " + QuoteIdentIfNeeded(s.wrapper()) + OptionsList(s.options());
  return sql + ";\n" + CommentOn("SERVER", name, s.comment()) +
         AclSql("FOREIGN SERVER " + name, pb::PG_OBJECT_FOREIGN_SERVER, s.acl());
}

std::string EventTriggerDdl(const pb::PgEventTrigger& e) {
  const std::string name = QuoteIdentIfNeeded(e.name());
  std::string sql = fmt::format("CREATE EVENT TRIGGER {} ON {}", name, e.event());
  if (!e.tags().empty()) {
    std::vector<std::string> tags;
    for (const auto& tag : e.tags()) tags.push_back(Literal(tag));
    sql += fmt::format("\n    WHEN TAG IN ({})", fmt::join(tags, ", "));
  }
  sql += "\n    EXECUTE FUNCTION " + e.function() + ";\n";
  if (e.enabled() == "D") sql += "ALTER EVENT TRIGGER " + name + " DISABLE;\n";
  if (e.enabled() == "R") sql += "ALTER EVENT TRIGGER " + name + " ENABLE REPLICA;\n";
  if (e.enabled() == "A") sql += "ALTER EVENT TRIGGER " + name + " ENABLE ALWAYS;\n";
  return sql + CommentOn("EVENT TRIGGER", name, e.comment());
}

std::optional<std::string> FindServerOrEventTriggerDdl(const pb::PostgresSchema& s,
                                                       const std::string& key) {
  if (key.rfind(kPgEventTriggerPrefix, 0) == 0) {
    auto it = s.event_triggers().find(key.substr(kPgEventTriggerPrefix.size()));
    if (it != s.event_triggers().end()) return EventTriggerDdl(it->second);
  }
  if (key.rfind(kPgForeignServerPrefix, 0) == 0) {
    auto it = s.foreign_servers().find(key.substr(kPgForeignServerPrefix.size()));
    if (it != s.foreign_servers().end()) return ForeignServerDdl(it->second);
  }
  return std::nullopt;
}

}  // namespace strata::postgres::render
