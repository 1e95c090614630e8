// ParseCreateTable: every clause and what it stores, and the errors, each with its exact place.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "adapters/glue/ddl.h"
#include "adapters/glue/ddl_formats.h"
#include "tests/adapters/glue/ddl_testing.h"

namespace strata::glue {
namespace {

using testing::Parsed;
using testing::ParseError;
using testing::SameTable;
using testing::Table;
using testing::TableProto;

std::map<std::string, std::string> Params(
    const google::protobuf::Map<std::string, std::string>& m) {
  return {m.begin(), m.end()};
}

constexpr char kLazySimple[] = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";

TEST(ParseCreateTable, AMinimalTableGetsHivesDefaults) {
  ParsedTable p = Parsed("CREATE EXTERNAL TABLE orders (id bigint)");
  EXPECT_EQ(p.database, "");
  EXPECT_TRUE(SameTable(TableProto(R"pb(
      name: "orders"
      columns { name: "id" type: "bigint" }
      table_type: "EXTERNAL_TABLE"
      input_format: "org.apache.hadoop.mapred.TextInputFormat"
      output_format: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
      serde {
        serialization_library: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
        parameters { key: "serialization.format" value: "1" }
      })pb"),
                        p.table));
  EXPECT_EQ(p.name_position.line, 1);
  EXPECT_EQ(p.name_position.column, 23);
}

TEST(ParseCreateTable, QualifiedNamesInEveryAthenaSpelling) {
  for (const char* name : {"sales.orders", "`sales`.`orders`", "`sales.orders`", "Sales.`ORDERS`",
                           "`SALES`.orders"}) {
    ParsedTable p = Parsed(std::string("CREATE EXTERNAL TABLE ") + name + " (id int)");
    EXPECT_EQ(p.database, "sales") << name;
    EXPECT_EQ(p.table.name(), "orders") << name;
  }
  EXPECT_EQ(Parsed("CREATE EXTERNAL TABLE `_my-table` (id int)").table.name(), "_my-table");
}

TEST(ParseCreateTable, IfNotExistsStoresNothing) {
  EXPECT_TRUE(SameTable(Table("CREATE EXTERNAL TABLE t (id int)"),
                        Table("CREATE EXTERNAL TABLE IF NOT EXISTS t (id int)")));
}

// Glue folds names, so a case-only or whitespace-only edit must not look like a change.
TEST(ParseCreateTable, CaseAndWhitespaceEditsGiveTheSameTable) {
  const char* a = R"(CREATE EXTERNAL TABLE Sales.Orders (
      OrderId BIGINT COMMENT 'the id',
      Items ARRAY<STRUCT<Sku:STRING, Qty:INTEGER>>)
    PARTITIONED BY (Dt STRING)
    ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
    LOCATION 's3://lake/Orders/')";
  const char* b =
      "create external table `sales`.`orders`(`orderid` bigint comment 'the id',`items` "
      "array<struct<sku:string,qty:int>>) partitioned by(`dt` string) row format serde "
      "'org.openx.data.jsonserde.JsonSerDe' location 's3://lake/Orders/';";
  EXPECT_TRUE(SameTable(Table(a), Table(b)));
  EXPECT_EQ(Table(a).columns(1).type(), "array<struct<sku:string,qty:int>>");
  // Locations and property keys are not names: their case is kept.
  EXPECT_EQ(Table(a).location(), "s3://lake/Orders/");
}

TEST(ParseCreateTable, ColumnCommentsAndTheOneThatIsNot) {
  pb::GlueTable t = Table(R"(CREATE EXTERNAL TABLE t (
      a int COMMENT 'first' 'ly',
      b string COMMENT 'from deserializer',
      c string COMMENT ''))");
  EXPECT_EQ(t.columns(0).comment(), "firstly");  // adjacent literals are one string
  // What SHOW CREATE TABLE prints for SerDe-supplied columns is not a comment anyone wrote.
  EXPECT_EQ(t.columns(1).comment(), "");
  EXPECT_EQ(t.columns(2).comment(), "");
}

TEST(ParseCreateTable, TheTableCommentIsTheCommentParameter) {
  pb::GlueTable t = Table("CREATE EXTERNAL TABLE t (a int) COMMENT 'Orders, one row each'");
  EXPECT_EQ(Params(t.parameters()),
            (std::map<std::string, std::string>{{"comment", "Orders, one row each"}}));
  EXPECT_EQ(t.description(), "");
  // The same property spelled in TBLPROPERTIES is the same table.
  EXPECT_TRUE(SameTable(
      t, Table("CREATE EXTERNAL TABLE t (a int) TBLPROPERTIES ('comment'='Orders, one row each')")));
}

TEST(ParseCreateTable, PartitionColumnsWithTypesAndComments) {
  pb::GlueTable t = Table(R"(CREATE EXTERNAL TABLE t (a int)
      PARTITIONED BY (`Year` INT COMMENT 'y', month varchar(2)))");
  ASSERT_EQ(t.partition_keys_size(), 2);
  EXPECT_EQ(t.partition_keys(0).name(), "year");
  EXPECT_EQ(t.partition_keys(0).type(), "int");
  EXPECT_EQ(t.partition_keys(0).comment(), "y");
  EXPECT_EQ(t.partition_keys(1).type(), "varchar(2)");
}

TEST(ParseCreateTable, ClusteredSortedIntoBuckets) {
  pb::GlueTable t = Table(R"(CREATE EXTERNAL TABLE t (a int, b string, c double)
      CLUSTERED BY (B, `a`) SORTED BY (c DESC, a ASC, b) INTO 16 BUCKETS)");
  EXPECT_EQ(std::vector<std::string>(t.bucket_columns().begin(), t.bucket_columns().end()),
            (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(t.num_buckets(), 16);
  ASSERT_EQ(t.sort_columns_size(), 3);
  EXPECT_EQ(t.sort_columns(0).column(), "c");
  EXPECT_TRUE(t.sort_columns(0).descending());
  EXPECT_FALSE(t.sort_columns(1).descending());
  EXPECT_FALSE(t.sort_columns(2).descending());  // ASC is the default
  EXPECT_EQ(Table("CREATE EXTERNAL TABLE t (a int) CLUSTERED BY (a) INTO 2147483647 BUCKETS")
                .num_buckets(),
            2147483647);
}

TEST(ParseCreateTable, RowFormatSerdeWithProperties) {
  pb::GlueTable t = Table(R"(CREATE EXTERNAL TABLE t (a string)
      ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
      WITH SERDEPROPERTIES ('separatorChar' = ',', "quoteChar" = '"', 'escapeChar' = '\\'))");
  EXPECT_EQ(t.serde().serialization_library(), "org.apache.hadoop.hive.serde2.OpenCSVSerde");
  EXPECT_EQ(Params(t.serde().parameters()),
            (std::map<std::string, std::string>{{"separatorChar", ","},
                                                {"quoteChar", "\""},
                                                {"escapeChar", "\\"},
                                                {"serialization.format", "1"}}));
  // The default SerDe's format parameter may be set explicitly, to the same table.
  EXPECT_TRUE(SameTable(
      Table("CREATE EXTERNAL TABLE t (a int) ROW FORMAT SERDE 'x.Y'"),
      Table("CREATE EXTERNAL TABLE t (a int) ROW FORMAT SERDE 'x.Y' WITH SERDEPROPERTIES "
            "('serialization.format'='1')")));
}

TEST(ParseCreateTable, RowFormatDelimitedIsLazySimpleSerDeWithItsParameters) {
  pb::GlueTable t = Table(R"(CREATE EXTERNAL TABLE t (a string)
      ROW FORMAT DELIMITED
        FIELDS TERMINATED BY '\t' ESCAPED BY '\\'
        COLLECTION ITEMS TERMINATED BY '\002'
        MAP KEYS TERMINATED BY '\003'
        LINES TERMINATED BY '\n'
        NULL DEFINED AS '')");
  EXPECT_EQ(t.serde().serialization_library(), kLazySimple);
  EXPECT_EQ(Params(t.serde().parameters()),
            (std::map<std::string, std::string>{{"field.delim", "\t"},
                                                {"serialization.format", "\t"},
                                                {"escape.delim", "\\"},
                                                {"colelction.delim", "\x02"},
                                                {"mapkey.delim", "\x03"},
                                                {"line.delim", "\n"},
                                                {"serialization.null.format", ""}}));
  EXPECT_EQ(t.input_format(), "org.apache.hadoop.mapred.TextInputFormat");
  // Bare DELIMITED sets no delimiter: LazySimpleSerDe's own defaults apply.
  EXPECT_EQ(Params(Table("CREATE EXTERNAL TABLE t (a int) ROW FORMAT DELIMITED").serde().parameters()),
            (std::map<std::string, std::string>{{"serialization.format", "1"}}));
}

// STORED AS X and the spelled-out classes must give one model, or every export would differ.
TEST(ParseCreateTable, EveryStoredAsFormatEqualsItsSpelledOutClasses) {
  for (const StorageFormat& f : StorageFormats()) {
    const std::string stored_as = "CREATE EXTERNAL TABLE t (a int) STORED AS " + std::string(f.name);
    const std::string spelled_out =
        "CREATE EXTERNAL TABLE t (a int) ROW FORMAT SERDE '" + std::string(f.serde) +
        "' STORED AS INPUTFORMAT '" + std::string(f.input_format) + "' OUTPUTFORMAT '" +
        std::string(f.output_format) + "'";
    pb::GlueTable a = Table(stored_as);
    EXPECT_TRUE(SameTable(a, Table(spelled_out))) << f.name;
    EXPECT_EQ(a.serde().serialization_library(), f.serde) << f.name;
    EXPECT_EQ(a.input_format(), f.input_format) << f.name;
  }
  // With no STORED AS at all, a table is TEXTFILE.
  EXPECT_TRUE(SameTable(Table("CREATE EXTERNAL TABLE t (a int)"),
                        Table("CREATE EXTERNAL TABLE t (a int) STORED AS TEXTFILE")));
  EXPECT_TRUE(SameTable(Table("CREATE EXTERNAL TABLE t (a int) STORED AS PARQUET"),
                        Table("CREATE EXTERNAL TABLE t (a int) stored as parquet")));
}

TEST(ParseCreateTable, SerDeAndFormatsAreIndependent) {
  // ROW FORMAT SERDE wins over the format's SerDe...
  pb::GlueTable csv = Table(
      "CREATE EXTERNAL TABLE t (a int) ROW FORMAT SERDE "
      "'org.apache.hadoop.hive.serde2.OpenCSVSerde' STORED AS TEXTFILE");
  EXPECT_EQ(csv.serde().serialization_library(), "org.apache.hadoop.hive.serde2.OpenCSVSerde");
  // ...DELIMITED gives parameters but names no SerDe, so the format's SerDe stays (Hive's rule)...
  pb::GlueTable parquet = Table(
      "CREATE EXTERNAL TABLE t (a int) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' STORED AS "
      "PARQUET");
  EXPECT_EQ(parquet.serde().serialization_library(),
            "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
  EXPECT_EQ(parquet.serde().parameters().at("field.delim"), ",");
  // ...and a Parquet SerDe without STORED AS keeps the text formats (AWS's CUR status table).
  pb::GlueTable cur = Table(
      "CREATE EXTERNAL TABLE t (status string) ROW FORMAT SERDE "
      "'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'");
  EXPECT_EQ(cur.input_format(), "org.apache.hadoop.mapred.TextInputFormat");
}

TEST(ParseCreateTable, HadoopOutputFormatsAreStoredAsHiveSubstitutes) {
  pb::GlueTable t = Table(
      "CREATE EXTERNAL TABLE t (a int) STORED AS INPUTFORMAT "
      "'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat' OUTPUTFORMAT "
      "'org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat'");
  EXPECT_EQ(t.input_format(), "org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat");
  EXPECT_EQ(t.output_format(), "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat");
}

TEST(ParseCreateTable, AthenasWithSerdePropertiesAfterStoredAs) {
  pb::GlueTable t = Table(
      "CREATE EXTERNAL TABLE t (a int) STORED AS PARQUET WITH SERDEPROPERTIES "
      "('parquet.column.index.access'='true')");
  EXPECT_EQ(t.serde().serialization_library(),
            "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
  EXPECT_EQ(t.serde().parameters().at("parquet.column.index.access"), "true");
  // SERDEPROPERTIES come last in Hive's order and win over what DELIMITED set.
  pb::GlueTable d = Table(
      "CREATE EXTERNAL TABLE t (a int) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' "
      "WITH SERDEPROPERTIES ('serialization.format'='1')");
  EXPECT_EQ(d.serde().parameters().at("serialization.format"), "1");
  EXPECT_EQ(d.serde().parameters().at("field.delim"), ",");
}

TEST(ParseCreateTable, LocationAndTableProperties) {
  pb::GlueTable t = Table(R"(CREATE EXTERNAL TABLE t (a int) PARTITIONED BY (dt string)
      LOCATION "s3://bucket/prefix/"
      TBLPROPERTIES (
        "projection.enabled" = "true",
        'projection.dt.type' = 'date',
        'storage.location.template' = 's3://bucket/prefix/${dt}/',
        'compression_level' = 4,
        'ratio' = 1.5,
        'Mixed.Case' = 'Kept'
      ))");
  EXPECT_EQ(t.location(), "s3://bucket/prefix/");
  EXPECT_EQ(Params(t.parameters()),
            (std::map<std::string, std::string>{{"projection.enabled", "true"},
                                                {"projection.dt.type", "date"},
                                                {"storage.location.template",
                                                 "s3://bucket/prefix/${dt}/"},
                                                {"compression_level", "4"},
                                                {"ratio", "1.5"},
                                                {"Mixed.Case", "Kept"}}));
}

TEST(ParseCreateTable, CommentsASemicolonAndATableWithoutColumns) {
  pb::GlueTable t = Table(R"(-- orders, as the shop writes them
      /* Avro: the columns come from the schema */
      CREATE EXTERNAL TABLE t -- no column list
      ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.avro.AvroSerDe'
      WITH SERDEPROPERTIES ('avro.schema.literal' = '{"type":"record"}')
      STORED AS AVRO;  -- done
      )");
  EXPECT_EQ(t.columns_size(), 0);
  EXPECT_EQ(t.serde().parameters().at("avro.schema.literal"), R"({"type":"record"})");
}

TEST(ParseCreateTable, ColumnNamesMayBeKeywordsAndAnyBackquotedText) {
  pb::GlueTable t = Table(
      "CREATE EXTERNAL TABLE t (date date, timestamp string, `end` int, location string, "
      "`aws-region` string, `a b` int, `x``y` int, comment string)");
  std::vector<std::string> names;
  for (const auto& c : t.columns()) names.push_back(c.name());
  EXPECT_EQ(names, (std::vector<std::string>{"date", "timestamp", "end", "location", "aws-region",
                                             "a b", "x`y", "comment"}));
}

// ---- errors: the place and the fix ---------------------------------------------------------

struct ErrorCase {
  const char* what;
  const char* text;
  const char* message;
};

TEST(ParseCreateTableErrors, EachKindIsReportedAtItsPlace) {
  const ErrorCase cases[] = {
      {"empty file", "  \n",
       "sales/t.sql:2:1: found the end of the file, expected CREATE EXTERNAL TABLE (a table file "
       "holds the table's CREATE EXTERNAL TABLE statement)"},
      {"another statement", "ALTER TABLE t ADD COLUMNS (a int)",
       "sales/t.sql:1:1: found \"ALTER\", expected CREATE EXTERNAL TABLE (a table file holds the "
       "table's CREATE EXTERNAL TABLE statement)"},
      {"unterminated literal", "CREATE EXTERNAL TABLE t (a int)\nLOCATION 's3://x/",
       "sales/t.sql:2:10: unterminated string: this ' has no closing ' before the end of the file"},
      {"unknown type", "CREATE EXTERNAL TABLE t (\n  a strng)",
       "sales/t.sql:2:5: unknown type \"strng\" (did you mean string?)"},
      {"missing paren", "CREATE EXTERNAL TABLE t (a int, b string\nLOCATION 's3://x/'",
       "sales/t.sql:2:1: found \"LOCATION\", expected ',' and another column, or ')' to close the "
       "list"},
      {"trailing comma", "CREATE EXTERNAL TABLE t (a int,\n b int,\n)",
       "sales/t.sql:3:1: found ')', expected a column name (remove the ',' after the last "
       "column)"},
      {"empty column list", "CREATE EXTERNAL TABLE t ()",
       "sales/t.sql:1:26: found ')', expected a column name (leave out the empty ())"},
      {"duplicate column", "CREATE EXTERNAL TABLE t (id int,\n  ID string)",
       "sales/t.sql:2:3: column id is declared twice (first at line 1, column 26; names are "
       "compared without case)"},
      {"partition repeats column", "CREATE EXTERNAL TABLE t (dt string)\nPARTITIONED BY (DT string)",
       "sales/t.sql:2:17: partition column dt repeats the data column at line 1, column 26; a "
       "Hive table's partition columns are not in its column list"},
      {"duplicate partition", "CREATE EXTERNAL TABLE t (a int) PARTITIONED BY (p int, p int)",
       "sales/t.sql:1:56: partition column p is declared twice"},
      {"untyped partition", "CREATE EXTERNAL TABLE t (a int) PARTITIONED BY (dt)",
       "sales/t.sql:1:49: partition column dt has no type: a Hive table types its partition "
       "columns (dt string); untyped ones are Iceberg's syntax"},
      {"unknown bucket column", "CREATE EXTERNAL TABLE t (a int) PARTITIONED BY (p int)\n"
                                "CLUSTERED BY (p) INTO 4 BUCKETS",
       "sales/t.sql:2:15: bucket column p is not a column of the table (partition columns cannot "
       "be used)"},
      {"bucket column twice", "CREATE EXTERNAL TABLE t (a int) CLUSTERED BY (a, A) INTO 4 BUCKETS",
       "sales/t.sql:1:50: bucket column a is named twice"},
      {"zero buckets", "CREATE EXTERNAL TABLE t (a int) CLUSTERED BY (a) INTO 0 BUCKETS",
       "sales/t.sql:1:55: the number of buckets must be a whole number from 1 to 2147483647, not "
       "0"},
      {"too many buckets", "CREATE EXTERNAL TABLE t (a int) CLUSTERED BY (a) INTO 2147483648 BUCKETS",
       "sales/t.sql:1:55: the number of buckets must be a whole number from 1 to 2147483647, not "
       "2147483648"},
      {"sorted without clustered", "CREATE EXTERNAL TABLE t (a int) SORTED BY (a)",
       "sales/t.sql:1:33: SORTED BY belongs inside CLUSTERED BY: CLUSTERED BY (c) SORTED BY (c) "
       "INTO n BUCKETS"},
      {"clause out of order", "CREATE EXTERNAL TABLE t (a int)\nLOCATION 's3://x/'\nSTORED AS ORC",
       "sales/t.sql:3:1: STORED AS must come before LOCATION: Hive's clause order is COMMENT, "
       "PARTITIONED BY, CLUSTERED BY, ROW FORMAT, STORED AS, WITH SERDEPROPERTIES, LOCATION, "
       "TBLPROPERTIES"},
      {"clause twice", "CREATE EXTERNAL TABLE t (a int) LOCATION 's3://x/' LOCATION 's3://y/'",
       "sales/t.sql:1:52: LOCATION is given twice (first at line 1, column 33)"},
      {"misspelt clause", "CREATE EXTERNAL TABLE t (a int)\nLOCATON 's3://x/'",
       "sales/t.sql:2:1: found \"LOCATON\", expected COMMENT, PARTITIONED BY, CLUSTERED BY, ROW "
       "FORMAT, STORED AS, WITH SERDEPROPERTIES, LOCATION, TBLPROPERTIES, or the end of the "
       "statement (did you mean LOCATION?)"},
      {"what may follow", "CREATE EXTERNAL TABLE t (a int) LOCATION 's3://x/' (",
       "sales/t.sql:1:52: found '(', expected TBLPROPERTIES, or the end of the statement"},
      {"unknown format", "CREATE EXTERNAL TABLE t (a int) STORED AS PARQET",
       "sales/t.sql:1:43: found \"PARQET\", expected a storage format (TEXTFILE, PARQUET, ORC, "
       "AVRO, RCFILE, SEQUENCEFILE, ION, or INPUTFORMAT '…' OUTPUTFORMAT '…') (did you mean "
       "PARQUET?)"},
      {"jsonfile", "CREATE EXTERNAL TABLE t (a int) STORED AS JSONFILE",
       "sales/t.sql:1:43: STORED AS JSONFILE is not supported by Athena; write ROW FORMAT SERDE "
       "'org.openx.data.jsonserde.JsonSerDe' (or 'org.apache.hive.hcatalog.data.JsonSerDe')"},
      {"input format alone",
       "CREATE EXTERNAL TABLE t (a int)\nSTORED AS INPUTFORMAT 'a.In'\nLOCATION 's3://x/'",
       "sales/t.sql:3:1: found \"LOCATION\", expected OUTPUTFORMAT and the output format class "
       "(Hive needs both)"},
      {"stored by", "CREATE EXTERNAL TABLE t (a int) STORED BY 'x.Handler'",
       "sales/t.sql:1:40: STORED BY (Hive storage handlers) is not supported by Athena; use "
       "STORED AS"},
      {"row format neither", "CREATE EXTERNAL TABLE t (a int) ROW FORMAT 'x.Y'",
       "sales/t.sql:1:44: found the string 'x.Y', expected SERDE 'class' or DELIMITED"},
      {"lines not newline", "CREATE EXTERNAL TABLE t (a int) ROW FORMAT DELIMITED LINES TERMINATED BY ','",
       "sales/t.sql:1:54: LINES TERMINATED BY supports only '\\n' (Hive's text files are split at "
       "newlines)"},
      {"delimited out of order",
       "CREATE EXTERNAL TABLE t (a int) ROW FORMAT DELIMITED LINES TERMINATED BY '\\n' FIELDS "
       "TERMINATED BY ','",
       "sales/t.sql:1:79: FIELDS is out of order or given twice: ROW FORMAT DELIMITED takes "
       "FIELDS, COLLECTION ITEMS, MAP KEYS, LINES and NULL DEFINED AS in that order"},
      {"empty delimiter", "CREATE EXTERNAL TABLE t (a int) ROW FORMAT DELIMITED FIELDS TERMINATED BY ''",
       "sales/t.sql:1:75: the field delimiter is empty"},
      {"duplicate property",
       "CREATE EXTERNAL TABLE t (a int) TBLPROPERTIES (\n 'a'='1',\n 'b'='2',\n 'a'='3')",
       "sales/t.sql:4:2: property 'a' is given twice (first at line 2, column 2)"},
      {"property without value", "CREATE EXTERNAL TABLE t (a int) TBLPROPERTIES ('a')",
       "sales/t.sql:1:51: found ')', expected '=' between the property's key and value"},
      {"property key not a string", "CREATE EXTERNAL TABLE t (a int) TBLPROPERTIES (a='1')",
       "sales/t.sql:1:48: found \"a\", expected a property key, a string ('key'='value')"},
      {"trailing comma in properties", "CREATE EXTERNAL TABLE t (a int) TBLPROPERTIES ('a'='1',)",
       "sales/t.sql:1:56: found ')', expected a property 'key'='value' (remove the ',' after the "
       "last property)"},
      {"comment twice", "CREATE EXTERNAL TABLE t (a int) COMMENT 'x'\nTBLPROPERTIES ('comment'='y')",
       "sales/t.sql:2:16: the table comment is given twice, as COMMENT (line 1, column 41) and as "
       "this property"},
      {"serde properties twice",
       "CREATE EXTERNAL TABLE t (a int) ROW FORMAT SERDE 'x.Y' WITH SERDEPROPERTIES ('a'='1')\n"
       "STORED AS TEXTFILE WITH SERDEPROPERTIES ('b'='2')",
       "sales/t.sql:2:20: WITH SERDEPROPERTIES is given twice (first at line 1, column 56)"},
      {"empty location", "CREATE EXTERNAL TABLE t (a int) LOCATION ''",
       "sales/t.sql:1:42: the location is empty; leave LOCATION out for a table without one"},
      {"empty serde", "CREATE EXTERNAL TABLE t (a int) ROW FORMAT SERDE ''",
       "sales/t.sql:1:50: the SerDe class name is empty"},
      {"table name as a string", "CREATE EXTERNAL TABLE 'my_table' (a int)",
       "sales/t.sql:1:23: found the string 'my_table', expected the table name: names are written "
       "plain or in backquotes (`my_table`), not in quotes"},
      {"three-part name", "CREATE EXTERNAL TABLE awsdatacatalog.sales.orders (a int)",
       "sales/t.sql:1:43: a table name has at most two parts: database.table"},
      {"three parts in backquotes", "CREATE EXTERNAL TABLE `a.b.c` (a int)",
       "sales/t.sql:1:23: a table name has at most two parts: database.table"},
      {"bad table name", "CREATE EXTERNAL TABLE `orders 2024` (a int)",
       "sales/t.sql:1:23: the table name `orders 2024` may hold only letters, digits, _ and -"},
      {"empty database", "CREATE EXTERNAL TABLE `.orders` (a int)",
       "sales/t.sql:1:23: the database name is empty"},
      {"empty table after the database", "CREATE EXTERNAL TABLE `sales.` (a int)",
       "sales/t.sql:1:23: the table name is empty"},
      {"bad column name", "CREATE EXTERNAL TABLE t (`a\tb` int)",
       "sales/t.sql:1:26: a column name may not hold control characters"},
      {"constraint", "CREATE EXTERNAL TABLE t (a int, PRIMARY KEY (a))",
       "sales/t.sql:1:33: table constraints (PRIMARY KEY, FOREIGN KEY) are not supported by "
       "Athena's Hive tables"},
      {"skewed", "CREATE EXTERNAL TABLE t (a int) SKEWED BY (a) ON (1)",
       "sales/t.sql:1:33: SKEWED BY is not supported by Athena; leave it out"},
      {"two statements", "CREATE EXTERNAL TABLE t (a int);\nCREATE EXTERNAL TABLE u (a int);",
       "sales/t.sql:2:1: found \"CREATE\", expected the end of the file (a table file holds one "
       "statement)"},
      {"symbol", "CREATE EXTERNAL TABLE [db.]t (a int)",
       "sales/t.sql:1:23: found '[', expected the table name"},
      {"bad escape", "CREATE EXTERNAL TABLE t (a int) LOCATION 'C:\\users'",
       "sales/t.sql:1:45: \\u must be followed by four hexadecimal digits (\\u00e9 is \xC3\xA9); "
       "write \\\\u for a backslash and a u"},
  };
  for (const ErrorCase& c : cases) EXPECT_EQ(ParseError(c.text), c.message) << c.what;
}

TEST(ParseCreateTableErrors, NestedTypesAndHugeInputAreBounded) {
  std::string deep = "CREATE EXTERNAL TABLE t (a ";
  for (int i = 0; i < 100; ++i) deep += "array<";
  EXPECT_EQ(ParseError(deep), "sales/t.sql:1:412: types may nest at most 64 levels deep");
}

}  // namespace
}  // namespace strata::glue
