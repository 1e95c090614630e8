// The catalog queries of the incremental capture and the bookkeeping between captures. The
// measurements behind the protocol (which statements write which catalogs, what is updated in
// place, how transaction ids behave) are summarised in docs/postgres-history.md.
#include "adapters/postgres/capture_incremental.h"

#include <limits>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <string_view>

#include "engine/state/postgres_keys.h"

namespace strata::postgres {
namespace {

uint32_t OidText(std::string_view v) {
  uint32_t out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}
uint32_t ParseOid(const std::optional<std::string>& v) { return v ? OidText(*v) : 0; }

// The tracked catalog a tag such as "w3" or "k3" names, or -1.
int TrackedIndex(const std::string& tag) {
  if (tag.size() != 2 || tag[1] < '0' || tag[1] >= '0' + incremental::kTrackedCount) return -1;
  return tag[1] - '0';
}

}  // namespace

namespace incremental {
namespace {

// How a tracked catalog's rows are keyed and mapped to their relations. `x` is the catalog row.
struct TrackedSql {
  const char* from;    // the catalog, aliased x
  const char* joins;   // what the owners need
  const char* key;     // text, unique in the catalog
  const char* owner;   // a pg_class oid or 0
  const char* owner2;  // a second one (the parent of an inheritance link) or 0
  const char* scope;   // rows that count (temporary relations of other sessions do not)
};

// The relation a pg_class row `c` belongs to: an index to its table, a toast table to its owner
// (through its internal dependency, which has an index, unlike reltoastrelid), anything else
// to itself. ClassOwnerJoins must be joined in, with aliases made from `c`.
std::string ClassOwnerJoins(std::string_view c) {
  return fmt::format(
      " LEFT JOIN pg_index {0}_i ON {0}_i.indexrelid = {0}.oid"
      " LEFT JOIN pg_depend {0}_t ON {0}.relkind = 't' AND {0}_t.classid = 'pg_class'::regclass"
      " AND {0}_t.objid = {0}.oid AND {0}_t.objsubid = 0 AND {0}_t.deptype = 'i' ",
      c);
}
std::string ClassOwner(std::string_view c) {
  return fmt::format("coalesce({0}_i.indrelid, {0}_t.refobjid, {0}.oid)", c);
}

const TrackedSql& SqlOf(Tracked t) {
  static const std::string class_joins = ClassOwnerJoins("x");
  static const std::string class_owner = ClassOwner("x");
  static const TrackedSql kSql[kTrackedCount] = {
      {"pg_class x", class_joins.c_str(), "x.oid::text", class_owner.c_str(), "0",
       "x.relpersistence <> 't'"},
      {"pg_constraint x", "", "x.oid::text", "x.conrelid", "0", "true"},
      {"pg_trigger x", "", "x.oid::text", "x.tgrelid", "0", "true"},
      {"pg_description x",
       " LEFT JOIN pg_index x_i ON x.classoid = 'pg_class'::regclass AND x_i.indexrelid = x.objoid"
       " LEFT JOIN pg_constraint x_k ON x.classoid = 'pg_constraint'::regclass"
       " AND x_k.oid = x.objoid"
       " LEFT JOIN pg_trigger x_g ON x.classoid = 'pg_trigger'::regclass AND x_g.oid = x.objoid"
       " LEFT JOIN pg_policy x_p ON x.classoid = 'pg_policy'::regclass AND x_p.oid = x.objoid ",
       "x.classoid::text || '/' || x.objoid || '/' || x.objsubid",
       "CASE WHEN x.classoid = 'pg_class'::regclass THEN coalesce(x_i.indrelid, x.objoid) "
       "ELSE coalesce(x_k.conrelid, x_g.tgrelid, x_p.polrelid, 0) END",
       "0",
       "x.classoid IN ('pg_class'::regclass, 'pg_constraint'::regclass, "
       "'pg_trigger'::regclass, 'pg_policy'::regclass)"},
      {"pg_policy x", "", "x.oid::text", "x.polrelid", "0", "true"},
      {"pg_inherits x", "", "x.inhrelid::text || '/' || x.inhparent", "x.inhrelid",
       "x.inhparent", "true"},
  };
  return kSql[static_cast<int>(t)];
}

constexpr Tracked kAllTracked[kTrackedCount] = {Tracked::kClass,       Tracked::kConstraint,
                                                Tracked::kTrigger,     Tracked::kDescription,
                                                Tracked::kPolicy,      Tracked::kInherits};

// What introspection reads whole rather than by relation: schemas, extensions, types,
// functions, sequences, and whatever else lives in these catalogs. A capture reads all of it
// again only when one of them has a written row or a different count. `x` is the catalog row.
struct UnscopedSql {
  const char* name;
  const char* from;
  const char* filter;
};
constexpr UnscopedSql kUnscoped[] = {
    {"pg_namespace", "pg_namespace x", "true"},
    {"pg_extension", "pg_extension x", "true"},
    // Array types and the row types of relations come and go with their owners.
    {"pg_type", "pg_type x", "x.typcategory <> 'A' AND x.typtype <> 'c'"},
    {"pg_enum", "pg_enum x", "true"},
    {"pg_range", "pg_range x", "true"},
    {"pg_proc", "pg_proc x", "true"},
    // Sequences and composite types.
    {"pg_class", "pg_class x", "x.relkind IN ('S', 'c')"},
    {"pg_constraint", "pg_constraint x", "x.contypid <> 0"},
    {"pg_description", "pg_description x",
     "x.classoid NOT IN ('pg_class'::regclass, 'pg_constraint'::regclass, "
     "'pg_trigger'::regclass, 'pg_policy'::regclass)"},
    {"pg_default_acl", "pg_default_acl x", "true"},
    {"pg_event_trigger", "pg_event_trigger x", "true"},
    {"pg_foreign_data_wrapper", "pg_foreign_data_wrapper x", "true"},
    {"pg_foreign_server", "pg_foreign_server x", "true"},
    {"pg_collation", "pg_collation x", "true"},
    {"pg_operator", "pg_operator x", "true"},
    {"pg_opclass", "pg_opclass x", "true"},
    {"pg_opfamily", "pg_opfamily x", "true"},
    {"pg_cast", "pg_cast x", "true"},
    {"pg_conversion", "pg_conversion x", "true"},
    {"pg_language", "pg_language x", "true"},
    {"pg_ts_config", "pg_ts_config x", "true"},
    {"pg_ts_dict", "pg_ts_dict x", "true"},
    {"pg_statistic_ext", "pg_statistic_ext x", "true"},
    {"pg_publication", "pg_publication x", "true"},
    {"pg_transform", "pg_transform x", "true"},
};

const UnscopedSql* UnscopedIn(std::string_view catalog) {
  for (const UnscopedSql& u : kUnscoped) {
    if (catalog == u.name) return &u;
  }
  return nullptr;
}

bool IsTracked(std::string_view catalog) {
  for (Tracked t : kAllTracked) {
    if (catalog == TrackedName(t)) return true;
  }
  return false;
}

// One row per unscoped catalog: ('u', name, rows written (when `written` is given), rows);
// with `skip_tracked`, not for the tracked catalogs, whose count rows carry them.
std::string UnscopedCountsSql(std::string_view from_extra, std::string_view written,
                              bool skip_tracked = false) {
  std::string sql;
  for (const UnscopedSql& u : kUnscoped) {
    if (skip_tracked && IsTracked(u.name)) continue;
    if (!sql.empty()) sql += " UNION ALL ";
    sql += fmt::format(
        "SELECT 'u', '{}', (count(*) FILTER (WHERE {}))::text, count(*)::text FROM {}{} WHERE {}",
        u.name, written, u.from, from_extra, u.filter);
  }
  return sql;
}

// Rows of `t` as (tag, key, owner, owner2), with `where` ANDed to its scope.
std::string KeysSql(Tracked t, std::string_view tag, std::string_view extra_from,
                    std::string_view where) {
  const TrackedSql& s = SqlOf(t);
  return fmt::format("SELECT '{}'::text, {}, ({})::oid::text, ({})::oid::text FROM {}{}{} "
                     "WHERE {} AND {}",
                     tag, s.key, s.owner, s.owner2, s.from, s.joins, extra_from, s.scope, where);
}

// The owner of a written row of `t`, looked up by index for that row alone: the planner cannot
// know that few rows were written, and would otherwise join the whole of pg_index, pg_depend,
// ... to find the owners of all rows of the catalog. Same results as SqlOf(t).owner.
std::string WrittenOwnerSql(Tracked t) {
  switch (t) {
    case Tracked::kClass:
      return "coalesce((SELECT i.indrelid FROM pg_index i WHERE i.indexrelid = x.oid), "
             "(SELECT d.refobjid FROM pg_depend d WHERE x.relkind = 't' AND "
             "d.classid = 'pg_class'::regclass AND d.objid = x.oid AND d.objsubid = 0 AND "
             "d.deptype = 'i' LIMIT 1), x.oid)";
    case Tracked::kDescription:
      return "CASE WHEN x.classoid = 'pg_class'::regclass THEN coalesce((SELECT i.indrelid "
             "FROM pg_index i WHERE i.indexrelid = x.objoid), x.objoid) "
             "WHEN x.classoid = 'pg_constraint'::regclass THEN coalesce((SELECT k.conrelid "
             "FROM pg_constraint k WHERE k.oid = x.objoid), 0) "
             "WHEN x.classoid = 'pg_trigger'::regclass THEN coalesce((SELECT g.tgrelid "
             "FROM pg_trigger g WHERE g.oid = x.objoid), 0) "
             "WHEN x.classoid = 'pg_policy'::regclass THEN coalesce((SELECT p.polrelid "
             "FROM pg_policy p WHERE p.oid = x.objoid), 0) ELSE 0 END";
    default:
      return SqlOf(t).owner;
  }
}


// The xmax of the transaction's snapshot: every transaction id assigned later is at least this.
std::string SnapshotXmaxSql(int server_version) {
  return server_version >= 130000
             ? "pg_snapshot_xmax(pg_current_snapshot())::xid::text"
             : "(txid_snapshot_xmax(txid_current_snapshot()) % 4294967296)::text";
}

// The keys of every tracked catalog ("k0".."k5"), the schemas ("n"), the counts of what is read
// whole ("u") and the snapshot's xmax ("lo"): what a full read keeps for the next capture.
std::string AllKeysSql(int server_version) {
  std::string sql;
  for (Tracked t : kAllTracked) {
    sql += KeysSql(t, fmt::format("k{}", static_cast<int>(t)), "", "true") + " UNION ALL ";
  }
  sql += "SELECT 'n', x.oid::text, x.nspname::text, NULL FROM pg_namespace x UNION ALL ";
  sql += UnscopedCountsSql("", "false") + " UNION ALL ";
  return sql + "SELECT 'lo', " + SnapshotXmaxSql(server_version) + ", NULL, NULL";
}

// Every key of `t` with its owners.
std::string TrackedKeysSql(Tracked t) { return KeysSql(t, "k", "", "true"); }

// Every key `t` holds now, as one text[] value (keys are digits and '/', which an array's
// text form leaves unquoted): cheaper to send and to compare than the keys with their owners.
std::string CurrentKeysSql(Tracked t) {
  const TrackedSql& ts = SqlOf(t);
  return fmt::format("SELECT array_agg({})::text FROM {} WHERE {}", ts.key, ts.from, ts.scope);
}

// The elements of an array's text form "{a,b,c}" (NULL: none).
std::set<std::string> ArrayElements(const std::optional<std::string>& text) {
  std::set<std::string> out;
  if (!text || text->size() < 2) return out;
  const std::string_view inner = std::string_view(*text).substr(1, text->size() - 2);
  size_t start = 0;
  while (start <= inner.size() && !inner.empty()) {
    const size_t comma = std::min(inner.find(',', start), inner.size());
    out.emplace(inner.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

// Rows written since $1 (an xid) in catalog alias `x`.
// (age() is fixed for the transaction: its reference is the transaction's, so lo's age is
// taken once.)
constexpr std::string_view kWritten = "age(x.xmin) <= lo.a";

std::string Written(std::string_view select, std::string_view from, std::string_view where = "") {
  return fmt::format("SELECT {} FROM {}, lo WHERE {}{}", select, from, kWritten, where);
}

// The query after a migration: written keys of the tracked catalogs ("w0".."w5"), their counts
// ("c0".."c5", with the counts of what the same catalog holds that is read whole), written
// schemas ("n"), the counts of the other catalogs read whole ("u"), the relations other written
// rows belong to and their dependents ("r", marked when read whole), the links of the model's
// sequences ($2) to their owning columns ("o"), and the snapshot's xmax ("lo"). One round
// trip; $1 is the lower bound.
std::string ChangesSql(int server_version) {
  std::string sql = "WITH RECURSIVE lo AS MATERIALIZED (SELECT age($1::xid) AS a)";
  // One scan of each tracked catalog ("s0".."s5") counts the rows in scope and, where the
  // catalog also holds something read whole, those rows and how many of them were written;
  // and collects the written keys with their owners (looked up for those rows alone: an
  // aggregate's arguments are evaluated only for the rows its FILTER lets through). The
  // written keys ("w0".."w5") are output and mapped below.
  for (Tracked t : kAllTracked) {
    const int i = static_cast<int>(t);
    const TrackedSql& ts = SqlOf(t);
    const UnscopedSql* u = UnscopedIn(TrackedName(t));
    const std::string written = fmt::format("{} AND {}", ts.scope, kWritten);
    sql += fmt::format(
        ", s{0} AS MATERIALIZED (SELECT count(*) FILTER (WHERE {1}) AS n, {2} AS uw, {3} AS un, "
        "array_agg({4}) FILTER (WHERE {5}) AS k, array_agg(({6})::oid::text) FILTER (WHERE {5}) "
        "AS a, array_agg(({7})::oid::text) FILTER (WHERE {5}) AS b FROM {8}, lo)",
        i, ts.scope,
        u ? fmt::format("(count(*) FILTER (WHERE {} AND {}))::text", u->filter, kWritten)
          : "NULL::text",
        u ? fmt::format("(count(*) FILTER (WHERE {}))::text", u->filter) : "NULL::text",
        ts.key, written, WrittenOwnerSql(t), ts.owner2, ts.from);
    sql += fmt::format(", w{0} AS (SELECT 'w{0}'::text, w.k, w.a, w.b FROM s{0}, "
                       "unnest(s{0}.k, s{0}.a, s{0}.b) AS w(k, a, b))",
                       i);
  }
  // pg_class oids of everything written that belongs to a relation.
  sql += ", raw(oid) AS (";
  for (Tracked t : kAllTracked) {
    sql += fmt::format("SELECT a::oid FROM w{0} w(tag, k, a, b) WHERE a <> '0' UNION "
                       "SELECT b::oid FROM w{0} w(tag, k, a, b) WHERE b <> '0' UNION ",
                       static_cast<int>(t));
  }
  sql += "SELECT k::oid FROM w0 w(tag, k, a, b)";
  sql += " UNION " + Written("x.attrelid", "pg_attribute x");
  sql += " UNION " + Written("x.adrelid", "pg_attrdef x");
  sql += " UNION " + Written("x.indrelid", "pg_index x");
  sql += " UNION " + Written("x.ev_class", "pg_rewrite x");
  sql += " UNION " + Written("x.partrelid", "pg_partitioned_table x");
  sql += " UNION " + Written("x.ftrelid", "pg_foreign_table x");
  sql += " UNION " + Written("x.seqrelid", "pg_sequence x");
  sql += " UNION " + Written("x.objid", "pg_depend x", " AND x.classid = 'pg_class'::regclass");
  sql += ")";
  // Types written, and the types made from them (arrays, domains, ranges): an enum label
  // renamed changes the text of a default of the enum's array type too.
  sql += ", types(oid) AS (" + Written("x.oid", "pg_type x") + " UNION " +
         Written("x.enumtypid", "pg_enum x") +
         " UNION SELECT d.objid FROM types t, LATERAL (SELECT d.objid FROM pg_depend d WHERE "
         "d.refclassid = 'pg_type'::regclass AND d.refobjid = t.oid AND "
         "d.classid = 'pg_type'::regclass OFFSET 0) d)";
  // Objects whose names other objects' deparsed text shows.
  sql += ", refs(classid, objid) AS (SELECT 'pg_class'::regclass::oid, oid FROM raw UNION ALL "
         "SELECT 'pg_type'::regclass::oid, oid FROM types";
  for (const char* c : {"pg_proc", "pg_collation", "pg_opclass", "pg_operator",
                        "pg_foreign_server"}) {
    sql += fmt::format(" UNION ALL {}", Written(fmt::format("'{}'::regclass::oid, x.oid", c),
                                                fmt::format("{} x", c)));
  }
  // Few rows are in play from here on: each is looked up by index (LATERAL with OFFSET 0,
  // which the planner cannot flatten into a join, or = ANY of an array) rather than joined
  // with whole catalogs, which the planner would otherwise do.
  sql += "), deps AS (SELECT DISTINCT d.classid, d.objid FROM refs r, LATERAL (SELECT d.classid, "
         "d.objid FROM pg_depend d WHERE d.refclassid = r.classid AND d.refobjid = r.objid OFFSET 0) "
         "d)";
  // Relations of the dependents, and of the raw oids (an index's table, a toast's owner).
  const std::string owner = WrittenOwnerSql(Tracked::kClass);
  sql += ", rels(oid) AS (SELECT " + owner + " FROM pg_class x WHERE x.oid = ANY(ARRAY(SELECT "
         "oid FROM raw)) UNION SELECT " + owner + " FROM pg_class x WHERE x.oid = ANY(ARRAY("
         "SELECT objid FROM deps WHERE classid = 'pg_class'::regclass))";
  for (auto [catalog, owner] : {std::pair{"pg_rewrite", "ev_class"}, {"pg_constraint", "conrelid"},
                                {"pg_attrdef", "adrelid"}, {"pg_trigger", "tgrelid"},
                                {"pg_policy", "polrelid"}}) {
    sql += fmt::format(" UNION SELECT o.{1} FROM {0} o WHERE o.oid = ANY(ARRAY(SELECT objid FROM "
                       "deps WHERE classid = '{0}'::regclass))",
                       catalog, owner);
  }
  sql += ")";
  // The output.
  sql += " SELECT 'lo', " + SnapshotXmaxSql(server_version) + ", NULL, NULL";
  for (Tracked t : kAllTracked) {
    const int i = static_cast<int>(t);
    sql += fmt::format(" UNION ALL SELECT * FROM w{0}", i);
    sql += fmt::format(" UNION ALL SELECT 'c{0}', s{0}.n::text, s{0}.uw, s{0}.un FROM s{0}", i);
  }
  sql += " UNION ALL " + Written("'n', x.oid::text, x.nspname::text, NULL", "pg_namespace x");
  sql += " UNION ALL " + UnscopedCountsSql(", lo", kWritten, /*skip_tracked=*/true);
  // Relations, marked when they are a sequence (not an identity column's) or a composite type,
  // which introspection reads with the unscoped parts.
  sql += " UNION ALL SELECT 'r', rels.oid::text, (c.relkind = 'c' OR (c.relkind = 'S' AND "
         "idn.x IS NULL))::text, NULL FROM rels LEFT JOIN LATERAL (SELECT c.oid, c.relkind FROM "
         "pg_class c WHERE c.oid = rels.oid) c ON true "
         "LEFT JOIN LATERAL (SELECT 1 AS x FROM pg_depend d WHERE d.classid = "
         "'pg_class'::regclass AND d.objid = c.oid AND d.objsubid = 0 AND d.deptype = 'i' "
         "LIMIT 1) idn ON true WHERE rels.oid <> 0";
  // Links of the sequences the model holds to the columns owning them: OWNED BY NONE deletes
  // only such a link. $2 lists the sequences.
  sql += " UNION ALL SELECT 'o', count(*)::text, NULL, NULL FROM pg_depend d WHERE d.classid = "
         "'pg_class'::regclass AND d.objid = ANY($2::oid[]) AND d.objsubid = 0 AND "
         "d.refclassid = 'pg_class'::regclass AND d.deptype = 'a'";
  return sql;
}

void AddOwners(const Owners& o, std::set<uint32_t>* relations) {
  if (o.first != 0) relations->insert(o.first);
  if (o.second != 0) relations->insert(o.second);
}

}  // namespace

const char* TrackedName(Tracked t) {
  switch (t) {
    case Tracked::kClass: return "pg_class";
    case Tracked::kConstraint: return "pg_constraint";
    case Tracked::kTrigger: return "pg_trigger";
    case Tracked::kDescription: return "pg_description";
    case Tracked::kPolicy: return "pg_policy";
    case Tracked::kInherits: return "pg_inherits";
  }
  return "?";
}

Plan Decide(const KeyState& state, const Changes& changes) {
  Plan plan;
  for (const auto& [oid, name] : changes.namespaces) {
    auto was = state.namespaces.find(oid);
    if (was != state.namespaces.end() && was->second != name) {
      // Every qualified name in the schema changes: the definitions that show them are
      // everywhere, and finding them all costs about as much as reading everything.
      plan.full_reason = fmt::format("schema {} was renamed to {}", was->second, name);
      return plan;
    }
  }
  plan.relations = changes.relations;
  plan.unscoped = changes.unscoped_written || changes.unscoped_counts != state.unscoped_counts;
  for (Tracked t : kAllTracked) {
    const int i = static_cast<int>(t);
    size_t added = 0;
    for (const auto& [key, owners] : changes.written[i]) {
      if (state.keys[i].count(key) == 0) ++added;
      AddOwners(owners, &plan.relations);
    }
    // Rows are only ever added (written keys not seen before) or deleted (no trace): a count
    // other than the expected one means deletions (or rows another session wrote before lo).
    if (changes.counts[i] != static_cast<int64_t>(state.keys[i].size() + added)) {
      plan.recount.push_back(t);
    }
  }
  return plan;
}

std::optional<std::string> TooMany(size_t relations, size_t known, double fraction) {
  const double limit = std::max(static_cast<double>(kMinPartialLimit), fraction * known);
  if (static_cast<double>(relations) <= limit) return std::nullopt;
  return fmt::format("{} of {} relations changed", relations, known);
}

void Remember(const Changes& changes, KeyState* state) {
  for (Tracked t : kAllTracked) {
    const int i = static_cast<int>(t);
    for (const auto& [key, owners] : changes.written[i]) state->keys[i][key] = owners;
  }
  for (const auto& [oid, name] : changes.namespaces) state->namespaces[oid] = name;
  state->unscoped_counts = changes.unscoped_counts;
}

void Forget(Tracked t, const std::vector<std::string>& gone, KeyState* state,
            std::set<uint32_t>* relations) {
  KeyMap& was = state->keys[static_cast<int>(t)];
  for (const std::string& key : gone) {
    auto it = was.find(key);
    if (it == was.end()) continue;
    AddOwners(it->second, relations);
    was.erase(it);
  }
}

void Recount(Tracked t, KeyMap now, KeyState* state, std::set<uint32_t>* relations) {
  KeyMap& was = state->keys[static_cast<int>(t)];
  for (const auto& [key, owners] : was) {
    if (now.count(key) == 0) AddOwners(owners, relations);  // deleted
  }
  for (const auto& [key, owners] : now) {
    if (was.count(key) == 0) AddOwners(owners, relations);  // written before lo by another
  }
  was = std::move(now);
}

namespace {

// Drops the entries of `parts` that belong to one of `relations`.
template <typename Map>
void EraseParts(const std::set<uint32_t>& relations, Map* parts) {
  for (auto it = parts->begin(); it != parts->end();) {
    it = relations.count(it->second.relation) ? parts->erase(it) : std::next(it);
  }
}

template <typename Map>
void TakeAll(Map&& from, Map* to) {
  for (auto& [k, v] : from) to->insert_or_assign(k, std::move(v));
}

void MergeIdentity(const std::set<uint32_t>& relations, bool unscoped,
                   CatalogIdentity partial, CatalogIdentity* identity) {
  for (uint32_t oid : relations) {
    identity->relations.erase(oid);
    identity->columns.erase(identity->columns.lower_bound({oid, INT32_MIN}),
                            identity->columns.upper_bound({oid, INT32_MAX}));
  }
  EraseParts(relations, &identity->indexes);
  EraseParts(relations, &identity->constraints);
  EraseParts(relations, &identity->triggers);
  EraseParts(relations, &identity->policies);
  TakeAll(std::move(partial.relations), &identity->relations);
  TakeAll(std::move(partial.columns), &identity->columns);
  TakeAll(std::move(partial.indexes), &identity->indexes);
  TakeAll(std::move(partial.constraints), &identity->constraints);
  TakeAll(std::move(partial.triggers), &identity->triggers);
  TakeAll(std::move(partial.policies), &identity->policies);
  if (!unscoped) return;
  identity->namespaces = std::move(partial.namespaces);
  identity->types = std::move(partial.types);
  identity->functions = std::move(partial.functions);
}

// Whether a fallback object stands for a table or view (one the model could not hold): those
// are read with their relation, not whole.
bool IsRelationFallback(const pb::PgOtherObject& o) {
  return o.kind() == "table" || o.kind() == "view";
}
std::string RelationKeyOf(const pb::PgOtherObject& o) { return PgKey(o.schema(), o.name()); }

// `merged` (a read of the unscoped parts and some relations) takes the model's other tables and
// views (and their fallback forms), and the privileges of sequences it did not read by relation.
void CarryOver(const std::set<uint32_t>& relations, const std::set<std::string>& replaced,
               const CatalogIdentity& merged_identity, pb::PostgresSchema* model,
               pb::PostgresSchema* merged) {
  for (auto& [key, table] : *model->mutable_tables()) {
    if (replaced.count(key) == 0 && !merged->tables().contains(key)) {
      (*merged->mutable_tables())[key].Swap(&table);
    }
  }
  for (auto& [key, view] : *model->mutable_views()) {
    if (replaced.count(key) == 0 && !merged->views().contains(key)) {
      (*merged->mutable_views())[key].Swap(&view);
    }
  }
  for (auto& [key, other] : *model->mutable_others()) {
    if (IsRelationFallback(other) && replaced.count(RelationKeyOf(other)) == 0 &&
        !merged->others().contains(key)) {
      (*merged->mutable_others())[key].Swap(&other);
    }
  }
  std::map<std::string, uint32_t> sequence_oid;
  for (const auto& [oid, key] : merged_identity.relations) {
    if (merged->sequences().contains(key)) sequence_oid[key] = oid;
  }
  for (auto& [key, sequence] : *merged->mutable_sequences()) {
    auto was = model->sequences().find(key);
    auto oid = sequence_oid.find(key);
    if (was == model->sequences().end() || oid == sequence_oid.end() ||
        relations.count(oid->second) > 0) {
      continue;
    }
    if (was->second.has_acl()) {
      *sequence.mutable_acl() = was->second.acl();
    } else {
      sequence.clear_acl();
    }
  }
}

}  // namespace

bool IsRelationFallbackForCut(const pb::PgOtherObject& o) { return IsRelationFallback(o); }
std::string RelationKeyForCut(const pb::PgOtherObject& o) { return RelationKeyOf(o); }

void Merge(const std::set<uint32_t>& relations, bool unscoped, pb::PostgresSchema partial,
           CatalogIdentity partial_identity, pb::PostgresSchema* model,
           CatalogIdentity* identity) {
  // Keys the relations read had before: their tables and views are replaced by the read's.
  std::set<std::string> replaced;
  for (uint32_t oid : relations) {
    if (auto it = identity->relations.find(oid); it != identity->relations.end()) {
      replaced.insert(it->second);
    }
  }
  if (unscoped) {
    CarryOver(relations, replaced, partial_identity, model, &partial);
    model->Swap(&partial);
  } else {
    for (const std::string& key : replaced) {
      model->mutable_tables()->erase(key);
      model->mutable_views()->erase(key);
    }
    auto* others = model->mutable_others();
    for (auto it = others->begin(); it != others->end();) {
      const bool read = IsRelationFallback(it->second) && replaced.count(RelationKeyOf(it->second));
      it = read ? others->erase(it) : std::next(it);
    }
    for (auto& [key, table] : *partial.mutable_tables()) {
      (*model->mutable_tables())[key].Swap(&table);
    }
    for (auto& [key, view] : *partial.mutable_views()) {
      (*model->mutable_views())[key].Swap(&view);
    }
    for (auto& [key, other] : *partial.mutable_others()) {
      if (IsRelationFallback(other)) (*others)[key].Swap(&other);
    }
  }
  MergeIdentity(relations, unscoped, std::move(partial_identity), identity);
}

}  // namespace incremental

// ---- the capture ---------------------------------------------------------------------------

namespace {

using incremental::Changes;
using incremental::KeyMap;
using incremental::KeyState;
using incremental::Owners;
using incremental::Tracked;

}  // namespace

// A read-only REPEATABLE READ transaction: every read in it sees one snapshot, whose xmax is
// the next capture's lower bound. Rolled back unless committed.
class IncrementalCapture::ReadTransaction {
 public:
  ReadTransaction(Connection& conn, CaptureStats* stats) : conn_(conn), stats_(stats) {}
  ~ReadTransaction() {
    if (open_) (void)conn_.ExecScript("ROLLBACK");
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

  Status Begin() {
    if (conn_.in_transaction()) {
      return Status::FailedPrecondition(
          "capturing the catalog: the connection is inside a transaction");
    }
    // No JIT: the catalog queries are estimated expensive enough to compile, which costs
    // hundreds of milliseconds and saves none.
    ++stats_->queries;
    // The prepared query's plan does not depend on its parameters: plan it once.
    STRATA_RETURN_IF_ERROR(
        conn_.ExecScript("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL jit = off; "
                         "SET LOCAL plan_cache_mode = force_generic_plan"));
    open_ = true;
    return Status::Ok();
  }
  Result<QueryResult> Exec(const std::string& sql, const std::vector<Param>& params = {}) {
    ++stats_->queries;
    return conn_.Exec(sql, params);
  }
  Status Commit() {
    open_ = false;
    return Exec("COMMIT").status();
  }

 private:
  Connection& conn_;
  CaptureStats* stats_;
  bool open_ = false;
};

namespace {

using Row = std::vector<std::optional<std::string>>;

Owners OwnersOf(const Row& row) { return Owners{ParseOid(row[2]), ParseOid(row[3])}; }

Changes ParseChanges(const QueryResult& r) {
  Changes c;
  for (const Row& row : r.rows) {
    const std::string tag = row[0].value_or("");
    const std::string key = row[1].value_or("");
    const int i = TrackedIndex(tag);
    if (tag == "lo") {
      c.next_lo = key;
    } else if (tag == "r") {
      c.relations.insert(OidText(key));
      c.unscoped_written = c.unscoped_written || row[2] == "true";
    } else if (tag == "n") {
      c.namespaces.emplace_back(OidText(key), row[2].value_or(""));
    } else if (tag == "o") {
      c.owned_sequences = std::stoll(key);
    } else if (tag == "u") {
      c.unscoped_written = c.unscoped_written || row[2].value_or("0") != "0";
      c.unscoped_counts[key] = std::stoll(row[3].value_or("0"));
    } else if (i >= 0 && tag[0] == 'w') {
      c.written[i].emplace_back(key, OwnersOf(row));
    } else if (i >= 0 && tag[0] == 'c') {
      c.counts[i] = std::stoll(key);
      if (row[2] && row[3]) {
        c.unscoped_written = c.unscoped_written || *row[2] != "0";
        c.unscoped_counts[incremental::TrackedName(static_cast<Tracked>(i))] = std::stoll(*row[3]);
      }
    }
  }
  return c;
}

// The keys a full read keeps, and the lower bound it leaves.
struct AllKeys {
  KeyState state;
  std::string lo;
};
AllKeys ParseAllKeys(const QueryResult& r) {
  AllKeys out;
  for (const Row& row : r.rows) {
    const std::string tag = row[0].value_or("");
    const std::string key = row[1].value_or("");
    const int i = TrackedIndex(tag);
    if (tag == "lo") {
      out.lo = key;
    } else if (tag == "n") {
      out.state.namespaces[OidText(key)] = row[2].value_or("");
    } else if (tag == "u") {
      out.state.unscoped_counts[key] = std::stoll(row[3].value_or("0"));
    } else if (i >= 0) {
      out.state.keys[i].emplace(key, OwnersOf(row));
    }
  }
  return out;
}

KeyMap ParseKeys(const QueryResult& r) {
  KeyMap out;
  for (const Row& row : r.rows) out.emplace(row[1].value_or(""), OwnersOf(row));
  return out;
}

}  // namespace

IncrementalCapture::IncrementalCapture(IncrementalCaptureOptions options)
    : options_(std::move(options)) {
  options_.introspect.only_relations = nullptr;
}

void IncrementalCapture::Reset() {
  model_.reset();
  identity_ = CatalogIdentity();
  change_kind_ = ChangeKind::kNone;
  change_before_.Clear();
  change_after_.Clear();
  change_before_identity_ = CatalogIdentity();
  change_after_identity_ = CatalogIdentity();
  keys_ = KeyState();
  lo_.clear();
}

Status IncrementalCapture::Begin(Connection& conn) {
  if (model_ && !lo_.empty()) return Status::Ok();
  Status s = ReadFull(conn, "first capture");
  if (!s.ok()) Reset();
  return s.WithContext("reading the catalog before the migration");
}

Status IncrementalCapture::Finish(Connection& conn) {
  if (!model_ || lo_.empty()) {
    return Status::Internal("IncrementalCapture::Finish without a Begin");
  }
  Status s = ReadChanges(conn);
  if (!s.ok()) Reset();
  return s.WithContext("reading what the migration changed in the catalog");
}

Status IncrementalCapture::ReadFull(Connection& conn, std::string reason) {
  const int64_t start = options_.introspect.clock->SteadyMicros();
  stats_ = CaptureStats();
  ReadTransaction tx(conn, &stats_);
  STRATA_RETURN_IF_ERROR(tx.Begin());
  STRATA_RETURN_IF_ERROR(ReadWhole(conn, tx, std::move(reason)));
  STRATA_RETURN_IF_ERROR(tx.Commit());
  stats_.micros = options_.introspect.clock->SteadyMicros() - start;
  return Status::Ok();
}

// Inside `tx`: the keys, then the whole catalog, in the transaction's one snapshot.
Status IncrementalCapture::ReadWhole(Connection& conn, ReadTransaction& tx, std::string reason) {
  stats_.full = true;
  stats_.full_reason = std::move(reason);
  stats_.relations_read = 0;
  STRATA_ASSIGN_OR_RETURN(QueryResult keys,
                          tx.Exec(incremental::AllKeysSql(conn.server_version())));
  AllKeys all = ParseAllKeys(keys);
  IntrospectStats is;
  CatalogIdentity identity;
  STRATA_ASSIGN_OR_RETURN(pb::PostgresSchema model,
                          Introspect(conn, options_.introspect, &is, &identity));
  stats_.queries += is.queries;
  // The model as it was (if any) is the change's before-state: moved, not copied.
  change_kind_ = model_ ? ChangeKind::kWhole : ChangeKind::kNone;
  change_before_ = model_ ? std::move(*model_) : pb::PostgresSchema();
  change_before_identity_ = std::move(identity_);
  change_after_.Clear();
  change_after_identity_ = CatalogIdentity();
  model_ = std::move(model);
  identity_ = std::move(identity);
  keys_ = std::move(all.state);
  lo_ = std::move(all.lo);
  return Status::Ok();
}

Status IncrementalCapture::ReadChanges(Connection& conn) {
  const int64_t start = options_.introspect.clock->SteadyMicros();
  stats_ = CaptureStats();
  ReadTransaction tx(conn, &stats_);
  STRATA_RETURN_IF_ERROR(tx.Begin());
  STRATA_ASSIGN_OR_RETURN(QueryResult r, QueryChanges(conn, tx));
  Changes changes = ParseChanges(r);
  incremental::Plan plan = incremental::Decide(keys_, changes);
  if (!plan.full_reason) {
    incremental::Remember(changes, &keys_);
    for (Tracked t : plan.recount) {
      // Rows were deleted: which of the kept keys are gone is usually all there is to it. Only
      // when the count still differs (rows another session wrote before lo) is the whole key
      // list read.
      const int i = static_cast<int>(t);
      STRATA_ASSIGN_OR_RETURN(QueryResult current, tx.Exec(incremental::CurrentKeysSql(t)));
      const std::set<std::string> now = incremental::ArrayElements(current.rows.at(0).at(0));
      std::vector<std::string> gone;
      for (const auto& [key, _] : keys_.keys[i]) {
        if (now.count(key) == 0) gone.push_back(key);
      }
      incremental::Forget(t, gone, &keys_, &plan.relations);
      if (keys_.keys[i].size() != now.size()) {
        STRATA_ASSIGN_OR_RETURN(QueryResult now, tx.Exec(incremental::TrackedKeysSql(t)));
        incremental::Recount(t, ParseKeys(now), &keys_, &plan.relations);
      }
      stats_.recounted.push_back(incremental::TrackedName(t));
    }
    plan.full_reason = incremental::TooMany(plan.relations.size(), identity_.relations.size(),
                                            options_.full_read_fraction);
    plan.unscoped = plan.unscoped || HoldsSequence(plan.relations) ||
                    changes.owned_sequences != OwnedSequences();
  }
  if (plan.full_reason) {
    STRATA_RETURN_IF_ERROR(ReadWhole(conn, tx, std::move(*plan.full_reason)));
  } else if (plan.relations.empty() && !plan.unscoped) {
    // The migration changed nothing the model holds.
    CutPart({}, {}, false, &change_before_, &change_before_identity_);
    CutPart({}, {}, false, &change_after_, &change_after_identity_);
    change_kind_ = ChangeKind::kParts;
    lo_ = std::move(changes.next_lo);
  } else {
    STRATA_RETURN_IF_ERROR(ReadSome(conn, std::move(plan.relations), plan.unscoped));
    lo_ = std::move(changes.next_lo);
  }
  STRATA_RETURN_IF_ERROR(tx.Commit());
  stats_.micros = options_.introspect.clock->SteadyMicros() - start;
  return Status::Ok();
}

// The query after a migration, prepared on the connection the first time: planning it costs
// more than running it. The session keeps it (under a name of strata's) until it ends.
Result<QueryResult> IncrementalCapture::QueryChanges(Connection& conn, ReadTransaction& tx) {
  static constexpr char kName[] = "strata_capture_changes";
  STRATA_ASSIGN_OR_RETURN(
      QueryResult prepared,
      tx.Exec("SELECT count(*) FROM pg_prepared_statements WHERE name = $1", {kName}));
  if (prepared.rows.at(0).at(0) == "0") {
    STRATA_RETURN_IF_ERROR(tx.Exec(fmt::format("PREPARE {}(xid, oid[]) AS {}", kName,
                                               incremental::ChangesSql(conn.server_version())))
                               .status());
  }
  return tx.Exec(fmt::format("EXECUTE {}({}, {})", kName, Connection::QuoteLiteral(lo_),
                             Connection::QuoteLiteral(SequencesArray())));
}

// The model's sequences as an oid[] literal, and how many of them a column owns.
std::string IncrementalCapture::SequencesArray() const {
  std::string out = "{";
  for (const auto& [oid, key] : identity_.relations) {
    if (!model_->sequences().contains(key)) continue;
    if (out.size() > 1) out += ',';
    out += std::to_string(oid);
  }
  return out + "}";
}
int64_t IncrementalCapture::OwnedSequences() const {
  return std::count_if(model_->sequences().begin(), model_->sequences().end(),
                       [](const auto& kv) { return !kv.second.owned_by().empty(); });
}

bool IncrementalCapture::HoldsSequence(const std::set<uint32_t>& relations) const {
  for (uint32_t oid : relations) {
    auto key = identity_.relations.find(oid);
    if (key != identity_.relations.end() && model_->sequences().contains(key->second)) {
      return true;
    }
  }
  return false;
}

// Reads `relations` (and, with `unscoped`, what is read whole) and merges that into the model.
Status IncrementalCapture::ReadSome(Connection& conn, std::set<uint32_t> relations,
                                    bool unscoped) {
  const std::vector<uint32_t> only(relations.begin(), relations.end());
  IntrospectOptions options = options_.introspect;
  options.only_relations = &only;
  options.skip_unscoped = !unscoped;
  stats_.unscoped_read = unscoped;
  IntrospectStats is;
  CatalogIdentity identity;
  STRATA_ASSIGN_OR_RETURN(pb::PostgresSchema partial, Introspect(conn, options, &is, &identity));
  stats_.queries += is.queries;
  stats_.relations_read = only.size();
  // The keys the relations had before and have now: a rename shows under both.
  std::set<std::string> keys;
  for (const auto* ids : {&identity_, &identity}) {
    for (uint32_t oid : relations) {
      if (auto it = ids->relations.find(oid); it != ids->relations.end()) keys.insert(it->second);
    }
  }
  CutPart(keys, relations, unscoped, &change_before_, &change_before_identity_);
  incremental::Merge(relations, unscoped, std::move(partial), std::move(identity), &*model_,
                     &identity_);
  CutPart(keys, relations, unscoped, &change_after_, &change_after_identity_);
  change_kind_ = ChangeKind::kParts;
  return Status::Ok();
}

void IncrementalCapture::CutPart(const std::set<std::string>& keys,
                                 const std::set<uint32_t>& oids, bool unscoped,
                                 pb::PostgresSchema* part, CatalogIdentity* identity) {
  pb::PostgresSchema& model = *model_;
  part->Clear();
  if (unscoped) {
    // Everything but the relations, copied with the relations moved aside for the moment.
    google::protobuf::Map<std::string, pb::PgTable> tables;
    google::protobuf::Map<std::string, pb::PgView> views;
    google::protobuf::Map<std::string, pb::PgOtherObject> others;
    tables.swap(*model.mutable_tables());
    views.swap(*model.mutable_views());
    others.swap(*model.mutable_others());
    *part = model;
    tables.swap(*model.mutable_tables());
    views.swap(*model.mutable_views());
    others.swap(*model.mutable_others());
    for (const auto& [key, other] : model.others()) {
      if (!incremental::IsRelationFallbackForCut(other)) (*part->mutable_others())[key] = other;
    }
  }
  for (const std::string& key : keys) {
    if (auto t = model.tables().find(key); t != model.tables().end()) {
      (*part->mutable_tables())[key] = t->second;
    }
    if (auto v = model.views().find(key); v != model.views().end()) {
      (*part->mutable_views())[key] = v->second;
    }
  }
  for (const auto& [key, other] : model.others()) {
    if (incremental::IsRelationFallbackForCut(other) &&
        keys.count(incremental::RelationKeyForCut(other))) {
      (*part->mutable_others())[key] = other;
    }
  }
  *identity = CatalogIdentity();
  if (unscoped) {
    identity->namespaces = identity_.namespaces;
    identity->types = identity_.types;
    identity->functions = identity_.functions;
  }
  for (uint32_t oid : oids) {
    if (auto it = identity_.relations.find(oid); it != identity_.relations.end()) {
      identity->relations.insert(*it);
    }
    auto column = identity_.columns.lower_bound({oid, std::numeric_limits<int>::min()});
    for (; column != identity_.columns.end() && column->first.first == oid; ++column) {
      identity->columns.insert(*column);
    }
  }
  auto parts = [&oids](const std::map<uint32_t, CatalogIdentity::Part>& from,
                       std::map<uint32_t, CatalogIdentity::Part>* to) {
    for (const auto& [oid, part] : from) {
      if (oids.count(part.relation)) to->emplace(oid, part);
    }
  };
  parts(identity_.indexes, &identity->indexes);
  parts(identity_.constraints, &identity->constraints);
  parts(identity_.triggers, &identity->triggers);
  parts(identity_.policies, &identity->policies);
}

std::optional<IncrementalCapture::Change> IncrementalCapture::last_change() const {
  switch (change_kind_) {
    case ChangeKind::kNone: return std::nullopt;
    case ChangeKind::kParts:
      return Change{change_before_, change_before_identity_, change_after_,
                    change_after_identity_};
    case ChangeKind::kWhole:
      return Change{change_before_, change_before_identity_, *model_, identity_};
  }
  return std::nullopt;
}

}  // namespace strata::postgres
