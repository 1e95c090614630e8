// DDL rendering. Each object kind has a Create...Sql (the object itself) and a ...CommentsSql
// (its comments and those of its parts); RenderObjectDdl puts one object's pieces together,
// RenderSchemaDdl puts every object's pieces into dependency-friendly sections.
#include "adapters/postgres/render.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <set>
#include <vector>

#include "adapters/postgres/connection.h"
#include "adapters/postgres/render_storage.h"
#include "adapters/postgres/render_security.h"
#include "engine/state/postgres_security.h"

namespace strata::postgres {
namespace {

// Every keyword PostgreSQL does not class as unreserved (reserved, type or function name,
// column name), sorted, as of PostgreSQL 15, plus those later versions added: quote_ident
// quotes them, and quoting one that a given server does not reserve is harmless.
constexpr std::string_view kKeywords[] = {"all",
                                          "analyse",
                                          "analyze",
                                          "and",
                                          "any",
                                          "array",
                                          "as",
                                          "asc",
                                          "asymmetric",
                                          "authorization",
                                          "between",
                                          "bigint",
                                          "binary",
                                          "bit",
                                          "boolean",
                                          "both",
                                          "case",
                                          "cast",
                                          "char",
                                          "character",
                                          "check",
                                          "coalesce",
                                          "collate",
                                          "collation",
                                          "column",
                                          "concurrently",
                                          "constraint",
                                          "create",
                                          "cross",
                                          "current_catalog",
                                          "current_date",
                                          "current_role",
                                          "current_schema",
                                          "current_time",
                                          "current_timestamp",
                                          "current_user",
                                          "dec",
                                          "decimal",
                                          "default",
                                          "deferrable",
                                          "desc",
                                          "distinct",
                                          "do",
                                          "else",
                                          "end",
                                          "except",
                                          "exists",
                                          "extract",
                                          "false",
                                          "fetch",
                                          "float",
                                          "for",
                                          "foreign",
                                          "freeze",
                                          "from",
                                          "full",
                                          "grant",
                                          "greatest",
                                          "group",
                                          "grouping",
                                          "having",
                                          "ilike",
                                          "in",
                                          "initially",
                                          "inner",
                                          "inout",
                                          "int",
                                          "integer",
                                          "intersect",
                                          "interval",
                                          "into",
                                          "is",
                                          "isnull",
                                          "join",
                                          "json",
                                          "json_array",
                                          "json_arrayagg",
                                          "json_exists",
                                          "json_object",
                                          "json_objectagg",
                                          "json_query",
                                          "json_scalar",
                                          "json_serialize",
                                          "json_table",
                                          "json_value",
                                          "lateral",
                                          "leading",
                                          "least",
                                          "left",
                                          "like",
                                          "limit",
                                          "localtime",
                                          "localtimestamp",
                                          "merge_action",
                                          "national",
                                          "natural",
                                          "nchar",
                                          "none",
                                          "normalize",
                                          "not",
                                          "notnull",
                                          "null",
                                          "nullif",
                                          "numeric",
                                          "offset",
                                          "on",
                                          "only",
                                          "or",
                                          "order",
                                          "out",
                                          "outer",
                                          "overlaps",
                                          "overlay",
                                          "placing",
                                          "position",
                                          "precision",
                                          "primary",
                                          "real",
                                          "references",
                                          "returning",
                                          "right",
                                          "row",
                                          "select",
                                          "session_user",
                                          "setof",
                                          "similar",
                                          "smallint",
                                          "some",
                                          "substring",
                                          "symmetric",
                                          "system_user",
                                          "table",
                                          "tablesample",
                                          "then",
                                          "time",
                                          "timestamp",
                                          "to",
                                          "trailing",
                                          "treat",
                                          "trim",
                                          "true",
                                          "union",
                                          "unique",
                                          "user",
                                          "using",
                                          "values",
                                          "varchar",
                                          "variadic",
                                          "verbose",
                                          "when",
                                          "where",
                                          "window",
                                          "with",
                                          "xmlattributes",
                                          "xmlconcat",
                                          "xmlelement",
                                          "xmlexists",
                                          "xmlforest",
                                          "xmlnamespaces",
                                          "xmlparse",
                                          "xmlpi",
                                          "xmlroot",
                                          "xmlserialize",
                                          "xmltable"};

static_assert(std::is_sorted(std::begin(kKeywords), std::end(kKeywords)));

bool IsKeyword(std::string_view word) {
  return std::binary_search(std::begin(kKeywords), std::end(kKeywords), word);
}

std::string Literal(std::string_view text) { return Connection::QuoteLiteral(text); }

// Map values in key order.
template <typename Map>
std::vector<const typename Map::mapped_type*> InKeyOrder(const Map& map) {
  std::vector<std::pair<std::string_view, const typename Map::mapped_type*>> items;
  items.reserve(map.size());
  for (const auto& [key, value] : map) items.emplace_back(key, &value);
  std::sort(items.begin(), items.end());
  std::vector<const typename Map::mapped_type*> out;
  out.reserve(items.size());
  for (const auto& [_, value] : items) out.push_back(value);
  return out;
}

std::string Comment(std::string_view what, std::string_view target, std::string_view comment) {
  if (comment.empty()) return "";
  return fmt::format("COMMENT ON {} {} IS {};\n", what, target, Literal(comment));
}

// ---- Tables ------------------------------------------------------------------------------

std::string ColumnSql(const pb::PgColumn& c) {
  std::string sql = QuoteIdentIfNeeded(c.name()) + " " + c.type();
  if (!c.collation().empty()) sql += " COLLATE " + c.collation();
  if (c.has_generated_expr()) sql += " GENERATED ALWAYS AS (" + c.generated_expr() + ") STORED";
  if (c.has_default_expr()) sql += " DEFAULT " + c.default_expr();
  if (c.identity() == pb::PG_IDENTITY_ALWAYS) sql += " GENERATED ALWAYS AS IDENTITY";
  if (c.identity() == pb::PG_IDENTITY_BY_DEFAULT) sql += " GENERATED BY DEFAULT AS IDENTITY";
  if (c.not_null()) sql += " NOT NULL";
  return sql;
}

bool IsForeignKey(const pb::PgConstraint& c) { return c.type() == pb::PG_CONSTRAINT_FOREIGN_KEY; }

// CREATE TABLE with columns and constraints; foreign keys only when asked (a whole-schema
// script adds them once every table exists).
std::string CreateTableSql(const pb::PgTable& t, bool with_foreign_keys) {
  std::vector<std::string> lines;
  for (const auto& c : t.columns()) lines.push_back(ColumnSql(c));
  for (const auto& c : t.constraints()) {
    if (with_foreign_keys || !IsForeignKey(c)) {
      lines.push_back("CONSTRAINT " + QuoteIdentIfNeeded(c.name()) + " " + c.definition());
    }
  }
  std::string sql =
      "CREATE " + render::TableKeyword(t) + " " + QualifiedName(t.schema(), t.name()) + " (";
  for (size_t i = 0; i < lines.size(); ++i) {
    sql += (i == 0 ? "\n    " : ",\n    ") + lines[i];
  }
  sql += lines.empty() ? ")" : "\n)";
  // INHERITS comes before PARTITION BY, WITH after it; a partitioned table never inherits.
  if (!t.partition_key().empty()) sql += "\nPARTITION BY " + t.partition_key();
  return sql + render::TableClausesSql(t) + ";\n";
}

// "schema.name" of a key, quoted as needed.
std::string QualifiedKey(const std::string& key) {
  const size_t dot = key.find('.');
  if (dot == std::string::npos) return QuoteIdentIfNeeded(key);
  return QualifiedName(key.substr(0, dot), key.substr(dot + 1));
}

// How a partition hangs on its parent, as pg_dump writes it: the partition is made as a plain
// table with its own column order, then attached (a detach that did not finish is attached
// and detached concurrently again, which leaves the same pending state).
std::string AttachSql(const pb::PgTable& t) {
  const auto& p = t.partition_of();
  if (p.parent().empty()) return "";
  std::string sql = fmt::format("ALTER TABLE ONLY {} ATTACH PARTITION {} {};\n",
                                QualifiedKey(p.parent()), QualifiedName(t.schema(), t.name()),
                                p.bound());
  if (p.detach_pending()) {
    sql += fmt::format("-- a DETACH PARTITION ... CONCURRENTLY of {} did not finish; "
                       "ALTER TABLE {} DETACH PARTITION {} FINALIZE completes it\n",
                       QualifiedName(t.schema(), t.name()), QualifiedKey(p.parent()),
                       QualifiedName(t.schema(), t.name()));
  }
  return sql;
}

// ALTER INDEX ... ATTACH PARTITION for the indexes of a partition that hang on a partitioned
// index.
std::string IndexAttachSql(const pb::PgTable& t) {
  std::string sql;
  for (const auto& i : t.indexes()) {
    if (i.parent_index().empty()) continue;
    sql += fmt::format("ALTER INDEX {} ATTACH PARTITION {};\n", QualifiedKey(i.parent_index()),
                       QualifiedName(t.schema(), i.name()));
  }
  return sql;
}

std::string ForeignKeysSql(const pb::PgTable& t) {
  std::string sql;
  for (const auto& c : t.constraints()) {
    if (!IsForeignKey(c)) continue;
    sql +=
        fmt::format("ALTER TABLE {} ADD CONSTRAINT {} {};\n", QualifiedName(t.schema(), t.name()),
                    QuoteIdentIfNeeded(c.name()), c.definition());
  }
  return sql;
}

template <typename Repeated>
std::string DefinitionsSql(const Repeated& items) {
  std::string sql;
  for (const auto& item : items) sql += item.definition() + ";\n";
  return sql;
}

std::string IndexCommentsSql(std::string_view schema,
                             const google::protobuf::RepeatedPtrField<pb::PgIndex>& indexes) {
  std::string sql;
  for (const auto& i : indexes)
    sql += Comment("INDEX", QualifiedName(schema, i.name()), i.comment());
  return sql;
}

std::string TableCommentsSql(const pb::PgTable& t) {
  const std::string table = QualifiedName(t.schema(), t.name());
  std::string sql = Comment(render::TableNoun(t), table, t.comment());
  for (const auto& c : t.columns()) {
    sql += Comment("COLUMN", table + "." + QuoteIdentIfNeeded(c.name()), c.comment());
  }
  for (const auto& c : t.constraints()) {
    sql += Comment("CONSTRAINT", QuoteIdentIfNeeded(c.name()) + " ON " + table, c.comment());
  }
  sql += IndexCommentsSql(t.schema(), t.indexes());
  for (const auto& tr : t.triggers()) {
    sql += Comment("TRIGGER", QuoteIdentIfNeeded(tr.name()) + " ON " + table, tr.comment());
  }
  return sql;
}

// ---- Views, sequences, types, extensions, functions, schemas --------------------------------

std::string CreateViewSql(const pb::PgView& v) {
  return fmt::format("CREATE {}VIEW {}{} AS\n{}{};\n", v.materialized() ? "MATERIALIZED " : "",
                     QualifiedName(v.schema(), v.name()), render::ViewWithSql(v), v.definition(),
                     render::ViewCheckOptionSql(v));
}

std::string ViewCommentsSql(const pb::PgView& v) {
  return Comment(v.materialized() ? "MATERIALIZED VIEW" : "VIEW",
                 QualifiedName(v.schema(), v.name()), v.comment()) +
         IndexCommentsSql(v.schema(), v.indexes());
}

std::string CreateSequenceSql(const pb::PgSequence& q) {
  std::string sql = "CREATE SEQUENCE " + QualifiedName(q.schema(), q.name());
  if (!q.data_type().empty()) sql += " AS " + q.data_type();
  return sql + fmt::format(" START WITH {} INCREMENT BY {} MINVALUE {} MAXVALUE {} CACHE {}{};\n",
                           q.start(), q.increment(), q.min_value(), q.max_value(), q.cache(),
                           q.cycle() ? " CYCLE" : " NO CYCLE");
}

// owned_by is "schema.table.column" with unquoted names that may hold dots themselves: the
// split that names a table of the state (and one of its columns) wins; otherwise the first and
// last dots.
std::string OwnerSql(const pb::PostgresSchema& s, const std::string& owned_by) {
  for (size_t dot = owned_by.find('.'); dot != std::string::npos;
       dot = owned_by.find('.', dot + 1)) {
    auto t = s.tables().find(owned_by.substr(0, dot));
    if (t == s.tables().end()) continue;
    const std::string column = owned_by.substr(dot + 1);
    for (const auto& c : t->second.columns()) {
      if (c.name() == column) {
        return QualifiedName(t->second.schema(), t->second.name()) + "." +
               QuoteIdentIfNeeded(column);
      }
    }
  }
  const size_t first = owned_by.find('.');
  const size_t last = owned_by.rfind('.');
  if (first == std::string::npos || first == last) return QuoteIdentIfNeeded(owned_by);
  return QualifiedName(owned_by.substr(0, first), owned_by.substr(first + 1, last - first - 1)) +
         "." + QuoteIdentIfNeeded(owned_by.substr(last + 1));
}

std::string SequenceOwnerSql(const pb::PostgresSchema& s, const pb::PgSequence& q) {
  if (q.owned_by().empty()) return "";
  return fmt::format("ALTER SEQUENCE {} OWNED BY {};\n", QualifiedName(q.schema(), q.name()),
                     OwnerSql(s, q.owned_by()));
}

bool IsBaseType(const pb::PgType& t) {
  return t.has_other() && !t.other().definition().empty() && t.other().definition()[0] == '(';
}

// A range that names functions (canonical, subtype_diff) needs them to exist first.
bool NeedsFunctions(const pb::PgType& t) {
  if (!t.has_other()) return false;
  const std::string& d = t.other().definition();
  return IsBaseType(t) || d.find("canonical = ") != std::string::npos ||
         d.find("subtype_diff = ") != std::string::npos;
}

std::string DomainSql(const std::string& name, const pb::PgDomainType& d) {
  std::string sql = "CREATE DOMAIN " + name + " AS " + d.base_type();
  if (d.has_default_expr()) sql += " DEFAULT " + d.default_expr();
  if (d.not_null()) sql += " NOT NULL";
  for (const auto& c : d.constraints()) {
    sql += "\n    CONSTRAINT " + QuoteIdentIfNeeded(c.name()) + " " + c.definition();
  }
  return sql + ";\n";
}

std::string CreateTypeSql(const pb::PgType& t) {
  const std::string name = QualifiedName(t.schema(), t.name());
  std::vector<std::string> items;
  switch (t.kind_case()) {
    case pb::PgType::kEnumType:
      for (const auto& label : t.enum_type().labels()) items.push_back(Literal(label));
      return fmt::format("CREATE TYPE {} AS ENUM ({});\n", name, fmt::join(items, ", "));
    case pb::PgType::kComposite:
      for (const auto& a : t.composite().attributes()) {
        items.push_back(QuoteIdentIfNeeded(a.name()) + " " + a.type());
      }
      return fmt::format("CREATE TYPE {} AS ({});\n", name, fmt::join(items, ", "));
    case pb::PgType::kDomain:
      return DomainSql(name, t.domain());
    case pb::PgType::kOther: {
      const std::string& d = t.other().definition();
      const bool base = IsBaseType(t);
      return fmt::format("CREATE TYPE {}{}{};\n", name, base ? " " : " AS ", d);
    }
    case pb::PgType::KIND_NOT_SET:
      break;
  }
  return "CREATE TYPE " + name + ";\n";
}

std::string TypeCommentsSql(const pb::PgType& t) {
  const std::string name = QualifiedName(t.schema(), t.name());
  if (!t.has_domain()) return Comment("TYPE", name, t.comment());
  std::string sql = Comment("DOMAIN", name, t.comment());
  for (const auto& c : t.domain().constraints()) {
    sql += Comment("CONSTRAINT", QuoteIdentIfNeeded(c.name()) + " ON DOMAIN " + name, c.comment());
  }
  return sql;
}

std::string CreateExtensionSql(const pb::PgExtension& x) {
  std::string sql = "CREATE EXTENSION " + QuoteIdentIfNeeded(x.name());
  if (!x.schema().empty()) sql += " WITH SCHEMA " + QuoteIdentIfNeeded(x.schema());
  if (!x.version().empty()) sql += " VERSION " + Literal(x.version());
  return sql + ";\n";
}

std::string FunctionCommentSql(const pb::PgFunction& f) {
  return Comment(f.aggregate() ? "AGGREGATE" : "ROUTINE",
                 QualifiedName(f.schema(), f.name()) + "(" + f.identity_arguments() + ")",
                 f.comment());
}

// pg_get_functiondef writes a string body as "AS $function$...": such bodies are not parsed at
// creation once check_function_bodies is off. A SQL-standard body (RETURN, BEGIN ATOMIC) is.
bool HasStringBody(const pb::PgFunction& f) {
  return f.definition().find("\nAS ") != std::string::npos;
}

// Every database has "public": it is never created, only granted on.
std::string CreateSchemaSql(const pb::PgNamespace& n) {
  if (n.name() == kPgImplicitNamespace) return "";
  return "CREATE SCHEMA " + QuoteIdentIfNeeded(n.name()) + ";\n";
}

// ---- One object ----------------------------------------------------------------------------

// A fallback object's own text, as one statement.
std::string OtherSql(const pb::PgOtherObject& o) {
  std::string sql = o.definition();
  while (!sql.empty() && (sql.back() == '\n' || sql.back() == ' ')) sql.pop_back();
  if (!sql.empty() && sql.back() != ';') sql += ';';
  return sql + "\n";
}

std::string TableDdl(const pb::PgTable& t) {
  return CreateTableSql(t, /*with_foreign_keys=*/true) + AttachSql(t) +
         DefinitionsSql(t.indexes()) + IndexAttachSql(t) + DefinitionsSql(t.triggers()) +
         TableCommentsSql(t) + TableSecuritySql(t);
}

std::string ViewDdl(const pb::PgView& v) {
  return CreateViewSql(v) + DefinitionsSql(v.indexes()) + ViewCommentsSql(v) + ViewAclSql(v);
}

std::string TypeDdl(const pb::PgType& t) {
  return CreateTypeSql(t) + TypeCommentsSql(t) + TypeAclSql(t);
}

std::string FunctionDdl(const pb::PgFunction& f) {
  return f.definition() + ";\n" + FunctionCommentSql(f) + FunctionAclSql(f);
}

std::optional<std::string> FindObjectDdl(const pb::PostgresSchema& s, const std::string& key) {
  if (auto it = s.tables().find(key); it != s.tables().end()) return TableDdl(it->second);
  if (auto it = s.views().find(key); it != s.views().end()) return ViewDdl(it->second);
  if (auto it = s.sequences().find(key); it != s.sequences().end()) {
    return CreateSequenceSql(it->second) + SequenceOwnerSql(s, it->second) +
           Comment("SEQUENCE", QualifiedName(it->second.schema(), it->second.name()),
                   it->second.comment()) +
           SequenceAclSql(it->second);
  }
  if (auto it = s.types().find(key); it != s.types().end()) return TypeDdl(it->second);
  if (auto it = s.functions().find(key); it != s.functions().end()) {
    return FunctionDdl(it->second);
  }
  if (auto ddl = render::FindServerOrEventTriggerDdl(s, key)) return ddl;
  if (key.rfind("ext:", 0) == 0) {
    if (auto it = s.extensions().find(key.substr(4)); it != s.extensions().end()) {
      return CreateExtensionSql(it->second) +
             Comment("EXTENSION", QuoteIdentIfNeeded(it->second.name()), it->second.comment());
    }
  }
  if (auto it = s.namespaces().find(key); it != s.namespaces().end()) {
    return CreateSchemaSql(it->second) +
           Comment("SCHEMA", QuoteIdentIfNeeded(it->second.name()), it->second.comment()) +
           SchemaAclSql(it->second);
  }
  for (const auto& [_, e] : s.default_privileges()) {
    if (PgDefaultPrivilegesObject(e) == key) return DefaultPrivilegesSql(e);
  }
  if (auto it = s.others().find(key); it != s.others().end()) return OtherSql(it->second);
  return std::nullopt;
}

// ---- The whole schema ----------------------------------------------------------------------

bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

// Whether `text` names `name` as a whole word (not as the start of a longer name).
bool Mentions(const std::string& text, const std::string& name) {
  for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
    const size_t end = at + name.size();
    const bool starts = at == 0 || (!IsIdentChar(text[at - 1]) && text[at - 1] != '.');
    const bool ends = end == text.size() || (!IsIdentChar(text[end]) && text[end] != '.');
    if (starts && ends) return true;
  }
  return false;
}

// Views in key order, moved after the views their definitions name (the server writes names
// qualified, as QualifiedName does). A cycle, impossible on a real server, keeps key order.
std::vector<const pb::PgView*> ViewsInDependencyOrder(const pb::PostgresSchema& s) {
  std::vector<const pb::PgView*> views = InKeyOrder(s.views());
  std::vector<std::string> names;
  for (const auto* v : views) names.push_back(QualifiedName(v->schema(), v->name()));
  std::vector<std::set<size_t>> needs(views.size());
  for (size_t i = 0; i < views.size(); ++i) {
    for (size_t j = 0; j < views.size(); ++j) {
      if (i != j && Mentions(views[i]->definition(), names[j])) needs[i].insert(j);
    }
  }
  std::vector<const pb::PgView*> out;
  std::vector<bool> done(views.size(), false);
  while (out.size() < views.size()) {
    size_t pick = views.size();
    for (size_t i = 0; i < views.size() && pick == views.size(); ++i) {
      if (done[i]) continue;
      bool ready = std::all_of(needs[i].begin(), needs[i].end(), [&](size_t j) { return done[j]; });
      if (ready) pick = i;
    }
    if (pick == views.size()) pick = std::find(done.begin(), done.end(), false) - done.begin();
    done[pick] = true;
    out.push_back(views[pick]);
  }
  return out;
}

enum class TypeStage { kEnum, kShell, kRange, kDomain, kComposite };

TypeStage StageOf(const pb::PgType& t) {
  if (t.has_enum_type()) return TypeStage::kEnum;
  if (t.has_domain()) return TypeStage::kDomain;
  if (t.has_composite()) return TypeStage::kComposite;
  return IsBaseType(t) ? TypeStage::kShell : TypeStage::kRange;
}

// Enums, then shells of base types, ranges without functions, domains, composites.
std::string TypesBeforeFunctionsSql(const pb::PostgresSchema& s) {
  std::string sql;
  for (TypeStage stage : {TypeStage::kEnum, TypeStage::kShell, TypeStage::kRange,
                          TypeStage::kDomain, TypeStage::kComposite}) {
    for (const auto* t : InKeyOrder(s.types())) {
      if (StageOf(*t) != stage) continue;
      if (stage == TypeStage::kShell) {
        sql += "CREATE TYPE " + QualifiedName(t->schema(), t->name()) + ";\n";
      } else if (!NeedsFunctions(*t)) {
        sql += CreateTypeSql(*t);
      }
    }
  }
  return sql;
}

std::string TypesAfterFunctionsSql(const pb::PostgresSchema& s) {
  std::string sql;
  for (const auto* t : InKeyOrder(s.types())) {
    if (NeedsFunctions(*t)) sql += CreateTypeSql(*t);
  }
  return sql;
}

// Functions and procedures, not aggregates (AggregatesSql).
std::string FunctionsSql(const pb::PostgresSchema& s, bool string_bodies) {
  std::string sql;
  for (const auto* f : InKeyOrder(s.functions())) {
    if (!f->aggregate() && HasStringBody(*f) == string_bodies) sql += f->definition() + ";\n";
  }
  return sql;
}

// Aggregates need their state functions and types; views may use them.
std::string AggregatesSql(const pb::PostgresSchema& s) {
  std::string sql;
  for (const auto* f : InKeyOrder(s.functions())) {
    if (f->aggregate()) sql += f->definition() + ";\n";
  }
  return sql;
}

std::string CommentsSql(const pb::PostgresSchema& s) {
  std::string sql;
  for (const auto* n : InKeyOrder(s.namespaces())) {
    sql += Comment("SCHEMA", QuoteIdentIfNeeded(n->name()), n->comment());
  }
  for (const auto* x : InKeyOrder(s.extensions())) {
    sql += Comment("EXTENSION", QuoteIdentIfNeeded(x->name()), x->comment());
  }
  for (const auto* t : InKeyOrder(s.types())) sql += TypeCommentsSql(*t);
  for (const auto* q : InKeyOrder(s.sequences())) {
    sql += Comment("SEQUENCE", QualifiedName(q->schema(), q->name()), q->comment());
  }
  for (const auto* t : InKeyOrder(s.tables())) sql += TableCommentsSql(*t);
  for (const auto* v : InKeyOrder(s.views())) sql += ViewCommentsSql(*v);
  for (const auto* f : InKeyOrder(s.functions())) sql += FunctionCommentSql(*f);
  return sql;
}

// Row-level security, policies and privileges of every object, then default privileges: last,
// so that every role's grant finds its object, and policies the functions they call.
std::string SecuritySql(const pb::PostgresSchema& s) {
  std::string sql;
  for (const auto* n : InKeyOrder(s.namespaces())) sql += SchemaAclSql(*n);
  for (const auto* t : InKeyOrder(s.types())) sql += TypeAclSql(*t);
  for (const auto* f : InKeyOrder(s.functions())) sql += FunctionAclSql(*f);
  for (const auto* q : InKeyOrder(s.sequences())) sql += SequenceAclSql(*q);
  for (const auto* t : InKeyOrder(s.tables())) sql += TableSecuritySql(*t);
  for (const auto* v : InKeyOrder(s.views())) sql += ViewAclSql(*v);
  for (const auto* e : InKeyOrder(s.default_privileges())) sql += DefaultPrivilegesSql(*e);
  return sql;
}

// Partitions, each after the partition it hangs on (a sub-partitioned partition is attached
// before its own partitions are attached to it), then by key.
std::vector<const pb::PgTable*> PartitionsParentsFirst(const pb::PostgresSchema& s) {
  auto depth = [&s](const pb::PgTable& t) {
    int d = 0;
    const pb::PgTable* at = &t;
    while (d < 64 && !at->partition_of().parent().empty()) {
      auto it = s.tables().find(at->partition_of().parent());
      if (it == s.tables().end()) break;
      at = &it->second;
      ++d;
    }
    return d;
  };
  std::vector<std::pair<int, const pb::PgTable*>> order;
  for (const auto* t : InKeyOrder(s.tables())) {
    if (!t->partition_of().parent().empty()) order.emplace_back(depth(*t), t);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<const pb::PgTable*> out;
  for (const auto& [_, t] : order) out.push_back(t);
  return out;
}

// Appends a section: its statements, then a blank line; empty sections leave no trace.
void Section(std::string sql, std::string* out) {
  if (sql.empty()) return;
  *out += sql + "\n";
}

}  // namespace

std::string QuoteIdentIfNeeded(std::string_view name) {
  bool plain = !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
  for (char c : name) {
    if (!plain) break;
    plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  }
  if (plain && !IsKeyword(name)) return std::string(name);
  return Connection::QuoteIdent(name);
}

std::string QualifiedName(std::string_view schema, std::string_view name) {
  return QuoteIdentIfNeeded(schema) + "." + QuoteIdentIfNeeded(name);
}

Result<std::string> RenderObjectDdl(const pb::PostgresSchema& schema, const std::string& key) {
  if (auto ddl = FindObjectDdl(schema, key)) return *ddl;
  return Status::NotFound(fmt::format(
      "postgres object {} not found; name a table, view, sequence or type as schema.name, a "
      "function as schema.name(argument types), an extension as ext:name, an event trigger as "
      "evt:name, a foreign server as server:name, default privileges as "
      "defaults:role/schema/OBJECTS, or a schema",
      key));
}

std::string RenderSchemaDdl(const pb::PostgresSchema& s) {
  std::string out =
      "-- Function bodies are checked when they run, not while this script creates them.\n"
      "SET check_function_bodies = false;\n\n";
  std::string sql;
  for (const auto* n : InKeyOrder(s.namespaces())) sql += CreateSchemaSql(*n);
  Section(std::move(sql), &out);
  sql.clear();
  for (const auto* x : InKeyOrder(s.extensions())) sql += CreateExtensionSql(*x);
  Section(std::move(sql), &out);
  sql.clear();
  for (const auto* v : InKeyOrder(s.foreign_servers())) sql += render::ForeignServerDdl(*v);
  Section(std::move(sql), &out);
  Section(TypesBeforeFunctionsSql(s), &out);
  Section(FunctionsSql(s, /*string_bodies=*/true), &out);
  Section(TypesAfterFunctionsSql(s), &out);
  Section(AggregatesSql(s), &out);
  sql.clear();
  for (const auto* q : InKeyOrder(s.sequences())) sql += CreateSequenceSql(*q);
  Section(std::move(sql), &out);
  sql.clear();
  for (const auto* t : render::TablesInInheritanceOrder(InKeyOrder(s.tables()))) {
    sql += (sql.empty() ? "" : "\n") + CreateTableSql(*t, /*with_foreign_keys=*/false);
  }
  Section(std::move(sql), &out);
  sql.clear();
  for (const auto* t : PartitionsParentsFirst(s)) sql += AttachSql(*t);
  for (const auto* q : InKeyOrder(s.sequences())) sql += SequenceOwnerSql(s, *q);
  for (const auto* t : InKeyOrder(s.tables())) sql += ForeignKeysSql(*t);
  for (const auto* t : InKeyOrder(s.tables())) sql += DefinitionsSql(t->indexes());
  for (const auto* t : InKeyOrder(s.tables())) sql += IndexAttachSql(*t);
  Section(std::move(sql), &out);
  sql.clear();
  for (const auto* v : ViewsInDependencyOrder(s))
    sql += CreateViewSql(*v) + DefinitionsSql(v->indexes());
  Section(std::move(sql), &out);
  Section(FunctionsSql(s, /*string_bodies=*/false), &out);
  sql.clear();
  for (const auto* t : InKeyOrder(s.tables())) sql += DefinitionsSql(t->triggers());
  Section(std::move(sql), &out);
  sql.clear();
  for (const auto* o : InKeyOrder(s.others())) sql += OtherSql(*o);
  Section(std::move(sql), &out);
  Section(CommentsSql(s), &out);
  Section(SecuritySql(s), &out);
  // Last: an event trigger fires on the DDL run after it, this script's own included.
  sql.clear();
  for (const auto* e : InKeyOrder(s.event_triggers())) sql += render::EventTriggerDdl(*e);
  Section(std::move(sql), &out);
  return out;
}

}  // namespace strata::postgres
