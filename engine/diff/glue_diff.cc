// Diff for Glue: databases and tables by name, in name order; within a table the finest
// changes (column drops, partition keys, column alters, one reorder, column inserts, then the
// table's properties, bucketing and parameters).
//
// A dropped database takes its tables with it (Glue cascades), so its tables get no events of
// their own; a created database is followed by one CreateTable per table.
#include <google/protobuf/util/message_differencer.h>

#include <map>
#include <set>

#include "engine/diff/diff.h"

namespace strata {
namespace {

using google::protobuf::util::MessageDifferencer;
using Columns = google::protobuf::RepeatedPtrField<pb::GlueColumn>;
using Params = google::protobuf::Map<std::string, std::string>;

pb::GlueChange* NewChange(std::vector<pb::Event>* out) {
  out->emplace_back();
  return out->back().mutable_glue();
}

// Every table event names its database and table the same way.
template <typename Event>
Event* Named(Event* e, const std::string& db, const std::string& table) {
  e->set_database(db);
  e->set_table(table);
  return e;
}

template <typename Map>
std::vector<std::string> SortedKeys(const Map& a, const Map& b) {
  std::set<std::string> keys;
  for (const auto& [k, _] : a) keys.insert(k);
  for (const auto& [k, _] : b) keys.insert(k);
  return {keys.begin(), keys.end()};
}

bool SameParams(const Params& a, const Params& b) {
  if (a.size() != b.size()) return false;
  for (const auto& [k, v] : a) {
    auto it = b.find(k);
    if (it == b.end() || it->second != v) return false;
  }
  return true;
}

bool SameColumns(const Columns& a, const Columns& b) {
  if (a.size() != b.size()) return false;
  for (int i = 0; i < a.size(); ++i) {
    if (!MessageDifferencer::Equals(a.Get(i), b.Get(i))) return false;
  }
  return true;
}

std::map<std::string, const pb::GlueColumn*> ByName(const Columns& columns) {
  std::map<std::string, const pb::GlueColumn*> out;
  for (const auto& c : columns) out[c.name()] = &c;
  return out;
}

// Drops, then partition keys (a column may become a partition key or the reverse: Glue
// forbids the two sharing a name, so the drop comes before and the add after), then alters.
void DropAndAlterColumns(const std::string& db, const pb::GlueTable& a, const pb::GlueTable& b,
                         std::vector<pb::Event>* out) {
  auto in_b = ByName(b.columns());
  for (const auto& c : a.columns()) {
    if (!in_b.count(c.name())) {
      Named(NewChange(out)->mutable_drop_column(), db, a.name())->set_column(c.name());
    }
  }
  if (!SameColumns(a.partition_keys(), b.partition_keys())) {
    auto* e = Named(NewChange(out)->mutable_set_partition_keys(), db, a.name());
    *e->mutable_partition_keys() = b.partition_keys();
  }
  for (const auto& c : a.columns()) {
    auto it = in_b.find(c.name());
    if (it == in_b.end() || MessageDifferencer::Equals(c, *it->second)) continue;
    auto* e = Named(NewChange(out)->mutable_alter_column(), db, a.name());
    *e->mutable_column() = *it->second;
    *e->mutable_before() = c;
  }
}

// After the drops, the surviving columns are in a's relative order; one ReorderColumns puts
// them in b's. Inserting each new column at its index in b, in b's order, then yields b: every
// column before that index is already in place.
void ReorderAndAddColumns(const std::string& db, const pb::GlueTable& a, const pb::GlueTable& b,
                          std::vector<pb::Event>* out) {
  auto in_a = ByName(a.columns());
  auto in_b = ByName(b.columns());
  std::vector<std::string> kept_a, kept_b;
  for (const auto& c : a.columns()) {
    if (in_b.count(c.name())) kept_a.push_back(c.name());
  }
  for (const auto& c : b.columns()) {
    if (in_a.count(c.name())) kept_b.push_back(c.name());
  }
  if (kept_a != kept_b) {
    auto* e = Named(NewChange(out)->mutable_reorder_columns(), db, a.name());
    for (const auto& name : kept_b) e->add_columns(name);
  }
  for (int i = 0; i < b.columns_size(); ++i) {
    if (in_a.count(b.columns(i).name())) continue;
    auto* e = Named(NewChange(out)->mutable_add_column(), db, a.name());
    *e->mutable_column() = b.columns(i);
    e->set_position(i);
  }
}

void DiffProperties(const std::string& db, const pb::GlueTable& a, const pb::GlueTable& b,
                    std::vector<pb::Event>* out) {
  const std::string& t = a.name();
  if (a.location() != b.location()) {
    Named(NewChange(out)->mutable_set_location(), db, t)->set_location(b.location());
  }
  if (a.input_format() != b.input_format() || a.output_format() != b.output_format()) {
    auto* e = Named(NewChange(out)->mutable_set_formats(), db, t);
    e->set_input_format(b.input_format());
    e->set_output_format(b.output_format());
  }
  if (!MessageDifferencer::Equals(a.serde(), b.serde())) {
    auto* e = Named(NewChange(out)->mutable_set_serde(), db, t);
    if (b.has_serde()) *e->mutable_serde() = b.serde();
  }
  if (a.table_type() != b.table_type()) {
    Named(NewChange(out)->mutable_set_table_type(), db, t)->set_table_type(b.table_type());
  }
  if (a.description() != b.description()) {
    Named(NewChange(out)->mutable_set_description(), db, t)->set_description(b.description());
  }
}

bool SameBucketing(const pb::GlueTable& a, const pb::GlueTable& b) {
  if (a.num_buckets() != b.num_buckets() || a.sort_columns_size() != b.sort_columns_size() ||
      a.bucket_columns_size() != b.bucket_columns_size()) {
    return false;
  }
  for (int i = 0; i < a.bucket_columns_size(); ++i) {
    if (a.bucket_columns(i) != b.bucket_columns(i)) return false;
  }
  for (int i = 0; i < a.sort_columns_size(); ++i) {
    if (!MessageDifferencer::Equals(a.sort_columns(i), b.sort_columns(i))) return false;
  }
  return true;
}

// Bucketing is one setting in Glue's StorageDescriptor (columns, count and order together), so
// any difference is one event carrying b's whole bucketing.
void DiffBucketing(const std::string& db, const pb::GlueTable& a, const pb::GlueTable& b,
                   std::vector<pb::Event>* out) {
  if (SameBucketing(a, b)) return;
  auto* e = Named(NewChange(out)->mutable_set_bucketing(), db, a.name());
  *e->mutable_bucket_columns() = b.bucket_columns();
  e->set_num_buckets(b.num_buckets());
  *e->mutable_sort_columns() = b.sort_columns();
}

void DiffParameters(const std::string& db, const pb::GlueTable& a, const pb::GlueTable& b,
                    std::vector<pb::Event>* out) {
  for (const auto& key : SortedKeys(a.parameters(), b.parameters())) {
    auto in_a = a.parameters().find(key);
    auto in_b = b.parameters().find(key);
    if (in_b == b.parameters().end()) {
      Named(NewChange(out)->mutable_remove_table_parameter(), db, a.name())->set_key(key);
    } else if (in_a == a.parameters().end() || in_a->second != in_b->second) {
      auto* e = Named(NewChange(out)->mutable_set_table_parameter(), db, a.name());
      e->set_key(key);
      e->set_value(in_b->second);
    }
  }
}

void DiffTable(const std::string& db, const pb::GlueTable& a, const pb::GlueTable& b,
               std::vector<pb::Event>* out) {
  if (MessageDifferencer::Equals(a, b)) return;
  DropAndAlterColumns(db, a, b, out);
  ReorderAndAddColumns(db, a, b, out);
  DiffProperties(db, a, b, out);
  DiffBucketing(db, a, b, out);
  DiffParameters(db, a, b, out);
}

void CreateTable(const std::string& db, const pb::GlueTable& table, std::vector<pb::Event>* out) {
  auto* e = NewChange(out)->mutable_create_table();
  e->set_database(db);
  *e->mutable_table() = table;
}

void DiffTables(const std::string& db, const pb::GlueDatabase& a, const pb::GlueDatabase& b,
                std::vector<pb::Event>* out) {
  for (const auto& name : SortedKeys(a.tables(), b.tables())) {
    auto in_a = a.tables().find(name);
    auto in_b = b.tables().find(name);
    if (in_b == b.tables().end()) {
      auto* e = NewChange(out)->mutable_drop_table();
      e->set_database(db);
      e->set_table(name);
    } else if (in_a == a.tables().end()) {
      CreateTable(db, in_b->second, out);
    } else {
      DiffTable(db, in_a->second, in_b->second, out);
    }
  }
}

void UpdateDatabase(const std::string& name, const pb::GlueDatabase& a,
                    const pb::GlueDatabase& b, std::vector<pb::Event>* out) {
  if (a.description() == b.description() && a.location_uri() == b.location_uri() &&
      SameParams(a.parameters(), b.parameters())) {
    return;
  }
  auto* e = NewChange(out)->mutable_update_database();
  e->set_database(name);
  e->set_description(b.description());
  e->set_location_uri(b.location_uri());
  *e->mutable_parameters() = b.parameters();
}

void CreateDatabase(const std::string& name, const pb::GlueDatabase& b,
                    std::vector<pb::Event>* out) {
  pb::GlueDatabase* db = NewChange(out)->mutable_create_database()->mutable_database();
  *db = b;
  db->clear_tables();
  DiffTables(name, pb::GlueDatabase(), b, out);
}

}  // namespace

void DiffGlue(const pb::GlueSchema& a, const pb::GlueSchema& b, std::vector<pb::Event>* out) {
  for (const auto& name : SortedKeys(a.databases(), b.databases())) {
    auto in_a = a.databases().find(name);
    auto in_b = b.databases().find(name);
    if (in_b == b.databases().end()) {
      NewChange(out)->mutable_drop_database()->set_database(name);
    } else if (in_a == a.databases().end()) {
      CreateDatabase(name, in_b->second, out);
    } else {
      UpdateDatabase(name, in_a->second, in_b->second, out);
      DiffTables(name, in_a->second, in_b->second, out);
    }
  }
}

}  // namespace strata
