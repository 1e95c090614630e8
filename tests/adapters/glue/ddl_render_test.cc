// RenderCreateTable: the canonical text, and the law parse(render(t)) == t over random tables.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "adapters/glue/ddl.h"
#include "engine/state/canonical_glue_postgres.h"
#include "tests/adapters/glue/ddl_testing.h"
#include "tests/engine/testing/random_glue_postgres.h"

namespace strata::glue {
namespace {

using testing::Parsed;
using testing::SameTable;
using testing::Table;
using testing::TableProto;

TEST(RenderCreateTable, EveryClauseInItsPlace) {
  pb::GlueTable t = TableProto(R"pb(
      name: "orders"
      columns { name: "id" type: "bigint" comment: "it's the id" }
      columns { name: "items" type: "array<struct<sku:string,qty:int>>" }
      partition_keys { name: "dt" type: "string" }
      bucket_columns: "id"
      num_buckets: 8
      sort_columns { column: "id" descending: true }
      serde {
        serialization_library: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
        parameters { key: "serialization.format" value: "," }
        parameters { key: "field.delim" value: "," }
      }
      input_format: "org.apache.hadoop.mapred.TextInputFormat"
      output_format: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
      location: "s3://lake/orders/"
      table_type: "EXTERNAL_TABLE"
      parameters { key: "comment" value: "one row per order" }
      parameters { key: "projection.enabled" value: "true" }
      parameters { key: "classification" value: "csv" })pb");
  EXPECT_EQ(RenderCreateTable("sales", t),
            "CREATE EXTERNAL TABLE `sales`.`orders` (\n"
            "  `id` bigint COMMENT 'it\\'s the id',\n"
            "  `items` array<struct<sku:string,qty:int>>\n"
            ")\n"
            "COMMENT 'one row per order'\n"
            "PARTITIONED BY (\n"
            "  `dt` string\n"
            ")\n"
            "CLUSTERED BY (`id`)\n"
            "SORTED BY (`id` DESC)\n"
            "INTO 8 BUCKETS\n"
            "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe'\n"
            "WITH SERDEPROPERTIES (\n"
            "  'field.delim' = ',',\n"
            "  'serialization.format' = ','\n"
            ")\n"
            "STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'\n"
            "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'\n"
            "LOCATION 's3://lake/orders/'\n"
            "TBLPROPERTIES (\n"
            "  'classification' = 'csv',\n"
            "  'projection.enabled' = 'true'\n"
            ");\n");
  ParsedTable back = Parsed(RenderCreateTable("sales", t));
  EXPECT_EQ(back.database, "sales");
  EXPECT_TRUE(SameTable(t, back.table));
}

TEST(RenderCreateTable, TheDefaultFormatParameterAndEmptyPartsAreLeftOut) {
  pb::GlueTable t = Table("CREATE EXTERNAL TABLE t");
  EXPECT_EQ(RenderCreateTable("", t),
            "CREATE EXTERNAL TABLE `t`\n"
            "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe'\n"
            "STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'\n"
            "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';\n");
}

TEST(RenderCreateTable, NamesAreBackquotedWithBackquotesDoubled) {
  pb::GlueTable t = Table("CREATE EXTERNAL TABLE t (`we``ird name` int, `aws-region` string)");
  const std::string text = RenderCreateTable("db", t);
  EXPECT_NE(text.find("  `we``ird name` int,\n  `aws-region` string\n"), std::string::npos)
      << text;
  EXPECT_TRUE(SameTable(t, Table(text)));
}

// ---- the law, over random tables -------------------------------------------------------------

// Makes a random engine table one that DDL can say (ddl.h lists what it cannot): DDL has no
// Glue description, SerDe name or other table type, always has a SerDe with Hive's
// serialization.format and both formats, and buckets only over the table's columns.
void MakeExpressible(pb::GlueTable* t) {
  t->clear_description();
  t->set_table_type("EXTERNAL_TABLE");
  pb::GlueSerDe* serde = t->mutable_serde();
  serde->clear_name();
  if (serde->serialization_library().empty()) {
    serde->set_serialization_library("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe");
  }
  (*serde->mutable_parameters()).insert({"serialization.format", "1"});
  std::set<std::string> columns;
  for (const auto& c : t->columns()) columns.insert(c.name());
  pb::GlueTable kept;
  for (const auto& b : t->bucket_columns()) {
    if (columns.count(b)) kept.add_bucket_columns(b);
  }
  for (const auto& s : t->sort_columns()) {
    if (columns.count(s.column())) *kept.add_sort_columns() = s;
  }
  *t->mutable_bucket_columns() = kept.bucket_columns();
  *t->mutable_sort_columns() = kept.sort_columns();
  if (t->bucket_columns().empty()) {
    t->clear_sort_columns();
    t->set_num_buckets(0);
  }
  CanonicalizeGlueTable(t);
}

// Text with the characters literals must survive: quotes, backslashes (before the letters Hive
// treats specially too), newlines, control characters, non-ASCII.
class HostileText {
 public:
  explicit HostileText(uint64_t seed) : rng_(seed) {}
  std::string Next(int max_pieces) {
    static const char* const kPieces[] = {
        "a", "Z", " ", "'", "\"", "\\", "\\%", "\\_", "u0041", "\\u", "\n", "\t", "\r", "\x01",
        "\x7F", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "${dt}", "--", "/*", "`", ";",
        "0", "17"};
    std::string out;
    for (int n = Int(0, max_pieces); n > 0; --n) out += kPieces[Int(0, std::size(kPieces) - 1)];
    return out;
  }
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

 private:
  std::mt19937_64 rng_;
};

// A random type as Glue stores it: every primitive, the parameterized ones, nesting.
std::string RandomType(HostileText* r, int depth) {
  static const char* const kPrimitives[] = {"boolean", "tinyint", "smallint", "int", "bigint",
                                            "float", "double", "string", "binary", "date",
                                            "timestamp"};
  switch (depth < 4 ? r->Int(0, 6) : 0) {
    case 1: {
      const int p = r->Int(1, 38);
      return "decimal(" + std::to_string(p) + "," + std::to_string(r->Int(0, p)) + ")";
    }
    case 2: return (r->Int(0, 1) ? "char(" : "varchar(") + std::to_string(r->Int(1, 255)) + ")";
    case 3: return "array<" + RandomType(r, depth + 1) + ">";
    case 4: return "map<" + std::string(kPrimitives[r->Int(0, 10)]) + "," + RandomType(r, depth + 1) + ">";
    case 5: {
      std::string out = "struct<";
      for (int i = 0, n = r->Int(1, 3); i < n; ++i) {
        out += (i ? ",f" : "f") + std::to_string(i) + "_x:" + RandomType(r, depth + 1);
      }
      return out + ">";
    }
    default: return kPrimitives[r->Int(0, 10)];
  }
}

// The engine's random table, with hostile text in every free-text place and random types.
pb::GlueTable RandomDdlTable(uint64_t seed) {
  strata::testing::RandomGlue rnd(seed);
  HostileText r(seed);
  pb::GlueTable t = rnd.Table("t" + std::to_string(seed % 7));
  if (r.Int(0, 3) == 0) rnd.SetBucketing(&t);
  for (auto& c : *t.mutable_columns()) {
    c.set_type(RandomType(&r, 0));
    if (r.Int(0, 1)) c.set_comment(r.Next(6));
  }
  for (auto& c : *t.mutable_partition_keys()) c.set_type(RandomType(&r, 2));
  if (r.Int(0, 2) == 0) {
    // A column name only backquotes can hold (names are stored lower case).
    pb::GlueColumn* c = t.add_columns();
    c->set_name("odd ` name-" + std::to_string(r.Int(0, 9)) + "\xC3\xA9");
    c->set_type("string");
  }
  t.set_location(t.location() + r.Next(3));
  if (r.Int(0, 1)) (*t.mutable_parameters())["comment"] = r.Next(5);
  (*t.mutable_parameters())[r.Next(3) + "k"] = r.Next(8);
  if (t.has_serde() && r.Int(0, 1)) (*t.mutable_serde()->mutable_parameters())["sp"] = r.Next(8);
  if (r.Int(0, 4) == 0) t.set_output_format(t.output_format() + r.Next(2));
  MakeExpressible(&t);
  return t;
}

TEST(RenderCreateTableLaw, ParseOfRenderGivesTheTableBackForRandomTables) {
  constexpr int kTables = 2000;
  int bucketed = 0, commented = 0, partitioned = 0;
  for (int seed = 0; seed < kTables; ++seed) {
    const pb::GlueTable t = RandomDdlTable(seed);
    const std::string db = seed % 3 == 0 ? "" : "db" + std::to_string(seed % 4);
    const std::string text = RenderCreateTable(db, t);
    Result<ParsedTable> back = ParseCreateTable(text, "random.sql");
    ASSERT_TRUE(back.ok()) << "seed " << seed << ": " << back.status().ToString() << "\n" << text;
    ASSERT_EQ(back->database, db) << "seed " << seed;
    ASSERT_TRUE(SameTable(t, back->table)) << "seed " << seed << "\n" << text;
    // And the text is a fixed point: rendering what was read gives the same text.
    ASSERT_EQ(RenderCreateTable(back->database, back->table), text) << "seed " << seed;
    bucketed += t.num_buckets() > 0;
    commented += t.parameters().count("comment") > 0;
    partitioned += t.partition_keys_size() > 0;
  }
  // The generator really covers what the renderer has to say.
  EXPECT_GT(bucketed, kTables / 10);
  EXPECT_GT(commented, kTables / 4);
  EXPECT_GT(partitioned, kTables / 2);
}

}  // namespace
}  // namespace strata::glue
