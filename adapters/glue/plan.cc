#include "adapters/glue/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "adapters/glue/describe.h"
#include "adapters/glue/table_input.h"
#include "engine/diff/diff.h"
#include "engine/state/validate.h"

namespace strata::glue {
namespace {

using nlohmann::json;
using backend::Action;

const pb::GlueTable* Find(const pb::GlueSchema& schema, const std::string& db,
                          const std::string& table) {
  auto d = schema.databases().find(db);
  if (d == schema.databases().end()) return nullptr;
  auto t = d->second.tables().find(table);
  return t == d->second.tables().end() ? nullptr : &t->second;
}

// The engine's changes that turn table `from` into `to`, both in database `db`.
Result<std::vector<pb::GlueChange>> TableChanges(const std::string& db, const pb::GlueTable& from,
                                                 const pb::GlueTable& to) {
  pb::GlueSchema a, b;
  auto wrap = [&db](pb::GlueSchema* s, const pb::GlueTable& t) {
    pb::GlueDatabase& d = (*s->mutable_databases())[db];
    d.set_name(db);
    (*d.mutable_tables())[t.name()] = t;
  };
  wrap(&a, from);
  wrap(&b, to);
  std::vector<pb::Event> events;
  DiffGlue(a, b, &events);
  std::vector<pb::GlueChange> changes;
  for (auto& e : events) {
    STRATA_RETURN_IF_ERROR(ValidateGlueChange(e.glue()));
    changes.push_back(std::move(*e.mutable_glue()));
  }
  return changes;
}

void FoldColumns(google::protobuf::RepeatedPtrField<pb::GlueColumn>* columns) {
  for (auto& c : *columns) {
    c.set_name(Lower(c.name()));
    c.set_type(CanonicalColumnType(c.type()));
  }
}

// `t` with the names and types Glue would store (lower case), so that a case-only difference
// is none and nothing in mixed case is sent (moto would keep it; Glue folds it).
pb::GlueTable Folded(pb::GlueTable t) {
  t.set_name(Lower(t.name()));
  FoldColumns(t.mutable_columns());
  FoldColumns(t.mutable_partition_keys());
  for (auto& b : *t.mutable_bucket_columns()) b = Lower(b);
  for (auto& s : *t.mutable_sort_columns()) s.set_column(Lower(s.column()));
  return t;
}

std::set<std::string> FoldedNames(const std::set<std::string>& names) {
  std::set<std::string> out;
  for (const auto& n : names) out.insert(Lower(n));
  return out;
}

bool ChangesColumns(const pb::GlueChange& c) {
  return c.has_add_column() || c.has_drop_column() || c.has_alter_column() ||
         c.has_reorder_columns() || c.has_set_partition_keys();
}

bool IsIceberg(const LiveTable& t) {
  auto params = t.glue.find("Parameters");
  if (params == t.glue.end() || !params->is_object()) return false;
  auto type = params->find("table_type");
  return type != params->end() && type->is_string() && Lower(type->get<std::string>()) == "iceberg";
}

std::string Summary(const std::vector<pb::GlueChange>& changes) {
  std::vector<std::string> parts;
  for (const auto& c : changes) parts.push_back(DescribeChange(c));
  return fmt::format("{}", fmt::join(parts, "; "));
}

ObjectPlan CreateDatabase(const std::string& db) {
  ObjectPlan p;
  p.object = db;
  p.action = Action::kCreate;
  p.changes.emplace_back().mutable_create_database()->mutable_database()->set_name(db);
  p.operations.push_back(
      {db, "CreateDatabase", {{"DatabaseInput", {{"Name", db}}}}, "create database " + db});
  return p;
}

ObjectPlan CreateTable(const std::string& db, const pb::GlueTable& t) {
  ObjectPlan p;
  p.object = db + "." + t.name();
  p.action = Action::kCreate;
  auto* e = p.changes.emplace_back().mutable_create_table();
  e->set_database(db);
  *e->mutable_table() = t;
  p.operations.push_back({p.object, "CreateTable",
                          {{"DatabaseName", db}, {"TableInput", NewTableInput(t)}},
                          "create table " + p.object});
  return p;
}

Operation DeleteOperation(const LiveTable& t, std::string summary) {
  return {t.object(), "DeleteTable",
          {{"DatabaseName", t.glue_database()}, {"Name", t.glue_name()}}, std::move(summary), true};
}

ObjectPlan DeleteTable(const LiveTable& t) {
  ObjectPlan p;
  p.object = t.object();
  p.action = Action::kDelete;
  auto* e = p.changes.emplace_back().mutable_drop_table();
  e->set_database(t.database);
  e->set_table(t.table.name());
  p.operations.push_back(DeleteOperation(t, "delete table " + p.object));
  return p;
}

// The replace of a table whose partition keys UpdateTable cannot change.
void Replace(const LiveTable& live, const json& input, const PlanOptions& options,
             ObjectPlan* p) {
  p->action = Action::kReplace;
  p->replace_reason = fmt::format(
      "UpdateTable cannot give a table that has partitions new partition keys (from ({}))",
      ColumnsText(live.table.partition_keys()));
  p->operations.push_back(DeleteOperation(live, "delete table " + p->object + " to replace it"));
  p->operations.push_back({p->object, "CreateTable",
                           {{"DatabaseName", live.glue_database()}, {"TableInput", input}},
                           "create table " + p->object + " with the new partition keys",
                           true});
  if (!options.allow_replace.count(p->object)) {
    p->blocked = true;
    p->blocked_reason = fmt::format(
        "replacing table {} deletes it and its partitions from the catalog (the files in S3 "
        "stay; add the partitions again afterwards, e.g. with MSCK REPAIR TABLE); allow it with "
        "--allow-replace {}",
        p->object, p->object);
  }
}

void Update(const LiveTable& live, const json& input, bool has_partitions, ObjectPlan* p) {
  json call = {{"DatabaseName", live.glue_database()}, {"TableInput", input}};
  if (!live.version_id.empty()) call["VersionId"] = live.version_id;
  p->operations.push_back(
      {p->object, "UpdateTable", std::move(call), "update table: " + Summary(p->changes)});
  const bool columns = std::any_of(p->changes.begin(), p->changes.end(), ChangesColumns);
  if (has_partitions && columns) {
    p->notes.push_back(
        "the table has partitions: they keep their own columns and location (Glue does not "
        "carry table changes to partitions); update or re-add them if queries need the new "
        "columns");
  }
  const bool location = std::any_of(p->changes.begin(), p->changes.end(),
                                    [](const auto& c) { return c.has_set_location(); });
  if (location && live.table.partition_keys_size() > 0) {
    p->notes.push_back("existing partitions keep their own locations");
  }
}

// The plan for a table both sides have; nullopt when nothing is to be done.
Result<std::optional<ObjectPlan>> Change(const LiveTable& live, const pb::GlueTable& desired,
                                         const PlanOptions& options) {
  const pb::GlueTable* deployed =
      options.deployed == nullptr ? nullptr
                                  : Find(*options.deployed, live.database, desired.name());
  const ManagedKeys managed = ManagedKeysOf(desired, deployed);
  ObjectPlan p;
  p.object = live.object();
  p.action = Action::kUpdate;
  STRATA_ASSIGN_OR_RETURN(p.changes,
                          TableChanges(live.database, TableForPlan(live.glue, managed), desired));
  if (p.changes.empty()) return std::optional<ObjectPlan>();
  const json input = UpdatedTableInput(live.glue, desired, managed);
  if (SameTableInput(input, TableInputOf(live.glue))) return std::optional<ObjectPlan>();
  const bool columns = std::any_of(p.changes.begin(), p.changes.end(), ChangesColumns);
  if (columns && IsIceberg(live)) {
    p.blocked = true;
    p.blocked_reason = fmt::format(
        "table {} is an Iceberg table: its columns live in its metadata file, which UpdateTable "
        "does not change; change them with Athena DDL (ALTER TABLE {} ADD COLUMNS ...), then "
        "record what it has with strata import",
        p.object, p.object);
  }
  bool has_partitions = false;
  if (columns && live.table.partition_keys_size() > 0) {
    if (!options.has_partitions) return Status::Internal("planning without a partition probe");
    STRATA_ASSIGN_OR_RETURN(has_partitions, options.has_partitions(live));
  }
  const bool new_keys = std::any_of(p.changes.begin(), p.changes.end(),
                                    [](const auto& c) { return c.has_set_partition_keys(); });
  if (new_keys && has_partitions) {
    Replace(live, input, options, &p);
  } else {
    Update(live, input, has_partitions, &p);
  }
  return std::optional<ObjectPlan>(std::move(p));
}

}  // namespace

Result<Plan> PlanChanges(const LiveCatalog& live, const pb::GlueSchema& desired,
                         const PlanOptions& given) {
  PlanOptions options = given;
  options.managed = FoldedNames(given.managed);
  options.allow_replace = FoldedNames(given.allow_replace);
  Plan plan;
  std::map<std::string, const LiveTable*> live_tables;
  for (const auto& t : live.tables) {
    if (options.managed.count(t.object())) live_tables[t.object()] = &t;
    else plan.unmanaged.push_back(t.object());
  }
  std::set<std::string> live_dbs(live.databases.begin(), live.databases.end());
  for (const auto& t : live.tables) live_dbs.insert(t.database);

  std::map<std::string, std::pair<std::string, pb::GlueTable>> wanted;  // object -> db, table
  std::set<std::string> new_dbs;
  for (const auto& [name, d] : desired.databases()) {
    const std::string db = Lower(name);
    if (options.managed.count(db) && !live_dbs.count(db)) new_dbs.insert(db);
    for (const auto& [table_name, t] : d.tables()) {
      const std::string object = db + "." + Lower(table_name);
      if (options.managed.count(object)) wanted[object] = {db, Folded(t)};
    }
  }
  for (const auto& db : new_dbs) plan.objects.push_back(CreateDatabase(db));
  for (const auto& [object, where] : wanted) {
    auto found = live_tables.find(object);
    if (found == live_tables.end()) {
      plan.objects.push_back(CreateTable(where.first, where.second));
      continue;
    }
    STRATA_ASSIGN_OR_RETURN(std::optional<ObjectPlan> p,
                            Change(*found->second, where.second, options));
    if (p) plan.objects.push_back(std::move(*p));
  }
  for (const auto& [object, t] : live_tables) {
    if (!wanted.count(object)) plan.objects.push_back(DeleteTable(*t));
  }
  std::sort(plan.objects.begin(), plan.objects.end(),
            [](const ObjectPlan& a, const ObjectPlan& b) { return a.object < b.object; });
  std::sort(plan.unmanaged.begin(), plan.unmanaged.end());
  return plan;
}

}  // namespace strata::glue
