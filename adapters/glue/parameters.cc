#include "adapters/glue/parameters.h"


namespace strata::glue {
namespace {

// Table parameters nobody writes in a CREATE TABLE: each changes on its own (a data write, a
// crawl, an ALTER) or says what the table's type already says. Reporting them as drift would
// flag every table after every insert; dropping them on update would break the tools that
// wrote them (Terraform deleting metadata_location broke Iceberg tables).
constexpr std::string_view kServerManagedKeys[] = {
    // Athena and Hive: EXTERNAL mirrors TableType=EXTERNAL_TABLE ("setting it has no effect"),
    // the others are stamped by every DDL statement and by engines writing data (Trino, Spark).
    "EXTERNAL",
    "transient_lastDdlTime",
    "last_modified_by",
    "last_modified_time",
    // Hive statistics, refreshed by ANALYZE and by writes.
    "numFiles",
    "numFilesErasureCoded",
    "numRows",
    "totalSize",
    "rawDataSize",
    "COLUMN_STATS_ACCURATE",
    // Glue crawlers, on every run. `classification` is one of them: a crawler sets it to what
    // it found, and Athena's CREATE TABLE also lets people set it. It is ignored only until a
    // table file sets it; from then on strata manages it like any other key.
    "UPDATED_BY_CRAWLER",
    "CrawlerSchemaDeserializerVersion",
    "CrawlerSchemaSerializerVersion",
    "classification",
    "objectCount",
    "recordCount",
    "averageRecordSize",
    "sizeKey",
    "compressionType",
    "typeOfData",
    // Iceberg: the pointer to the table's current metadata file, moved by every commit.
    "metadata_location",
    "previous_metadata_location",
    "metadata_hashcode",
    // Trino and Presto record which query and version wrote the table last.
    "trino_query_id",
    "trino_version",
    "presto_query_id",
    "presto_version",
};

// Whole families of keys written by engines (Iceberg's echo of its own table properties).
constexpr std::string_view kServerManagedPrefixes[] = {"iceberg."};

}  // namespace

bool IsServerManagedTableParameter(std::string_view key) {
  for (std::string_view k : kServerManagedKeys) {
    if (key == k) return true;
  }
  for (std::string_view p : kServerManagedPrefixes) {
    if (key.substr(0, p.size()) == p) return true;
  }
  return false;
}


ManagedKeys ManagedKeysOf(const pb::GlueTable& desired, const pb::GlueTable* deployed) {
  ManagedKeys keys;
  auto add = [&keys](const pb::GlueTable& t) {
    for (const auto& [k, v] : t.parameters()) keys.table.insert(k);
    for (const auto& [k, v] : t.serde().parameters()) keys.serde.insert(k);
  };
  add(desired);
  if (deployed != nullptr) add(*deployed);
  return keys;
}

}  // namespace strata::glue
