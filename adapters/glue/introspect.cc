#include "adapters/glue/introspect.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "adapters/aws/json_members.h"
#include "adapters/common/parallel.h"
#include "adapters/glue/table_input.h"

namespace strata::glue {
namespace {

using nlohmann::json;

// Naming more tables of one database than this reads the database's table list (a page holds
// 100) instead of asking for each table.
constexpr size_t kListTablesFrom = 8;

// Every page of a list call: `key` holds each page's items, NextToken the next page's token.
Result<std::vector<json>> ListAll(const Catalog& catalog, std::string_view api,
                                  const std::string& object, json input, const char* key) {
  std::vector<json> items;
  while (true) {
    STRATA_ASSIGN_OR_RETURN(json page, CallGlue(catalog, api, object, input));
    if (auto it = page.find(key); it != page.end() && it->is_array()) {
      for (auto& item : *it) items.push_back(std::move(item));
    }
    const std::string token = aws::JsonString(page, "NextToken");
    if (token.empty()) return items;
    input["NextToken"] = token;
  }
}

// The tables of one database (named as Glue stores it); nullopt when the database is gone by
// the first page. Gone by a later page is an error: half a list would read as deleted tables.
Result<std::optional<std::vector<LiveTable>>> TablesOf(const Catalog& catalog,
                                                       const std::string& glue_database) {
  aws::ServiceError error;
  json input = {{"DatabaseName", glue_database}, {"MaxResults", 100}};
  std::vector<LiveTable> out;
  while (true) {
    auto page = CallGlue(catalog, "GetTables", Lower(glue_database), input, &error);
    if (!page.ok()) {
      if (IsEntityNotFound(error) && !input.contains("NextToken")) {
        return std::optional<std::vector<LiveTable>>();
      }
      return page.status();
    }
    if (auto it = page->find("TableList"); it != page->end() && it->is_array()) {
      for (auto& t : *it) out.push_back(LiveTableFromGlue(std::move(t), Lower(glue_database)));
    }
    const std::string token = aws::JsonString(*page, "NextToken");
    if (token.empty()) return std::optional<std::vector<LiveTable>>(std::move(out));
    input["NextToken"] = token;
  }
}

Result<bool> DatabaseExists(const Catalog& catalog, const std::string& database) {
  aws::ServiceError error;
  auto r = CallGlue(catalog, "GetDatabase", database, {{"Name", database}}, &error);
  if (r.ok()) return true;
  if (IsEntityNotFound(error)) return false;
  return r.status();
}

void Sort(LiveCatalog* c) {
  std::sort(c->databases.begin(), c->databases.end());
  c->databases.erase(std::unique(c->databases.begin(), c->databases.end()), c->databases.end());
  std::sort(c->tables.begin(), c->tables.end(),
            [](const LiveTable& a, const LiveTable& b) { return a.object() < b.object(); });
}

Result<LiveCatalog> ReadEverything(const Catalog& catalog, const ReadOptions& options) {
  STRATA_ASSIGN_OR_RETURN(std::vector<json> dbs,
                          ListAll(catalog, "GetDatabases", "the catalog",
                                  {{"MaxResults", 100}}, "DatabaseList"));
  std::vector<std::string> names;
  for (const auto& d : dbs) names.push_back(aws::JsonString(d, "Name"));
  std::mutex mu;
  size_t done = 0;
  auto results = common::RunParallel<Result<std::optional<std::vector<LiveTable>>>>(
      names.size(), options.max_concurrency, [&](size_t i) {
        auto tables = TablesOf(catalog, names[i]);
        std::lock_guard lock(mu);
        if (options.progress) options.progress(++done, names.size());
        return tables;
      });
  LiveCatalog out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (!results[i].ok()) return results[i].status();
    if (!results[i]->has_value()) continue;  // deleted since GetDatabases
    out.databases.push_back(Lower(names[i]));
    for (auto& t : **results[i]) out.tables.push_back(std::move(t));
  }
  Sort(&out);
  return out;
}

// What one read of named objects found.
struct Found {
  std::optional<std::string> database;
  std::vector<LiveTable> tables;
};

Result<LiveCatalog> ReadNamed(const Catalog& catalog, const std::vector<std::string>& only,
                              const ReadOptions& options) {
  std::map<std::string, std::set<std::string>> tables_by_db;
  std::set<std::string> dbs;
  for (const auto& name : only) {
    auto [db, table] = SplitObject(Lower(name));
    if (table.empty()) dbs.insert(db);
    else tables_by_db[db].insert(table);
  }
  std::vector<std::function<Result<Found>()>> tasks;
  for (const auto& db : dbs) {
    tasks.push_back([&catalog, db]() -> Result<Found> {
      STRATA_ASSIGN_OR_RETURN(bool exists, DatabaseExists(catalog, db));
      Found f;
      if (exists) f.database = db;
      return f;
    });
  }
  for (const auto& entry : tables_by_db) {
    const std::string& db = entry.first;
    const std::set<std::string>& tables = entry.second;
    if (tables.size() > kListTablesFrom) {
      tasks.push_back([&catalog, db, &tables]() -> Result<Found> {
        STRATA_ASSIGN_OR_RETURN(std::optional<std::vector<LiveTable>> all, TablesOf(catalog, db));
        Found f;
        if (!all) return f;
        for (auto& t : *all) {
          if (tables.count(t.table.name())) f.tables.push_back(std::move(t));
        }
        return f;
      });
      continue;
    }
    for (const auto& table : tables) {
      tasks.push_back([&catalog, db, table]() -> Result<Found> {
        STRATA_ASSIGN_OR_RETURN(std::optional<LiveTable> t, ReadTable(catalog, db, table));
        Found f;
        if (t) f.tables.push_back(std::move(*t));
        return f;
      });
    }
  }
  auto results = common::RunParallel<Result<Found>>(tasks.size(), options.max_concurrency,
                                                    [&tasks](size_t i) { return tasks[i](); });
  LiveCatalog out;
  for (auto& r : results) {
    if (!r.ok()) return r.status();
    if (r->database) out.databases.push_back(*r->database);
    for (auto& t : r->tables) out.tables.push_back(std::move(t));
  }
  Sort(&out);
  return out;
}

}  // namespace

std::string LiveTable::glue_database() const {
  const std::string stored = aws::JsonString(glue, "DatabaseName");
  return stored.empty() ? database : stored;
}

std::string LiveTable::glue_name() const {
  const std::string stored = aws::JsonString(glue, "Name");
  return stored.empty() ? table.name() : stored;
}

std::pair<std::string, std::string> SplitObject(const std::string& object) {
  const size_t dot = object.find('.');
  if (dot == std::string::npos) return {object, ""};
  return {object.substr(0, dot), object.substr(dot + 1)};
}

LiveTable LiveTableFromGlue(json table, const std::string& database) {
  LiveTable t;
  const std::string stored_db = aws::JsonString(table, "DatabaseName");
  t.database = Lower(stored_db.empty() ? database : stored_db);
  t.table = TableFromGlue(table);
  t.version_id = aws::JsonString(table, "VersionId");
  t.glue = std::move(table);
  return t;
}

Result<std::optional<LiveTable>> ReadTable(const Catalog& catalog, const std::string& db_name,
                                           const std::string& table_name) {
  const std::string database = Lower(db_name);
  const std::string table = Lower(table_name);
  aws::ServiceError error;
  auto r = CallGlue(catalog, "GetTable", database + "." + table,
                    {{"DatabaseName", database}, {"Name", table}}, &error);
  if (!r.ok()) {
    if (IsEntityNotFound(error)) return std::optional<LiveTable>();
    return r.status();
  }
  auto it = r->find("Table");
  if (it == r->end() || !it->is_object()) {
    return Status::Internal(fmt::format("GetTable for table {}.{} answered no Table", database,
                                        table));
  }
  return std::optional<LiveTable>(LiveTableFromGlue(std::move(*it), database));
}

Result<bool> HasPartitions(const Catalog& catalog, const LiveTable& table) {
  STRATA_ASSIGN_OR_RETURN(
      json page, CallGlue(catalog, "GetPartitions", table.object(),
                          {{"DatabaseName", table.glue_database()},
                           {"TableName", table.glue_name()},
                           {"MaxResults", 1}}));
  auto it = page.find("Partitions");
  return it != page.end() && it->is_array() && !it->empty();
}

Result<LiveCatalog> ReadCatalog(const Catalog& catalog, const ReadOptions& options) {
  if (options.only) return ReadNamed(catalog, *options.only, options);
  return ReadEverything(catalog, options);
}

}  // namespace strata::glue
