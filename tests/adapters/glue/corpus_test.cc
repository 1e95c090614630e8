// The Glue DDL parser over real statements: every CREATE EXTERNAL TABLE in
// tests/adapters/testdata/glue/corpus/ (taken from AWS's documentation; the README there says
// where each comes from) must parse, render to DDL that parses back to the same table, and render
// as a fixed point. Then, per family of statements, what the parser must have stored: the values
// a wrong lexer, unescaper, type normaliser or format table would get wrong.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/glue/ddl.h"

namespace strata::glue {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(STRATA_TESTDATA_DIR) / "glue" / "corpus";
// The corpus holds more; fewer means files went missing or the directory moved.
constexpr size_t kMinStatements = 25;

constexpr char kLazySimple[] = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
constexpr char kTextInput[] = "org.apache.hadoop.mapred.TextInputFormat";
constexpr char kTextOutput[] = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
constexpr char kRegexSerDe[] = "org.apache.hadoop.hive.serde2.RegexSerDe";
constexpr char kOpenXJson[] = "org.openx.data.jsonserde.JsonSerDe";

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> names;
  if (!fs::is_directory(kCorpus)) return names;
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    if (entry.path().extension() == ".sql") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string ReadCorpusFile(const std::string& name) {
  std::ifstream in(kCorpus / (name + ".sql"), std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << (kCorpus / (name + ".sql"));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The statement in corpus file `name`, parsed; a failure names the file and the parser's error.
ParsedTable Corpus(const std::string& name) {
  Result<ParsedTable> parsed = ParseCreateTable(ReadCorpusFile(name), name + ".sql");
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? *parsed : ParsedTable{};
}

std::map<std::string, std::string> Params(
    const google::protobuf::Map<std::string, std::string>& m) {
  return {m.begin(), m.end()};
}

std::map<std::string, std::string> SerdeParams(const pb::GlueTable& t) {
  return Params(t.serde().parameters());
}

// The parameters whose key starts with `prefix`, and storage.location.template.
std::map<std::string, std::string> Projection(const pb::GlueTable& t) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : t.parameters()) {
    if (k.starts_with("projection.") || k == "storage.location.template") out.emplace(k, v);
  }
  return out;
}

std::string ColumnType(const pb::GlueTable& t, const std::string& name) {
  for (const auto& c : t.columns()) {
    if (c.name() == name) return c.type();
  }
  ADD_FAILURE() << "no column " << name << " in " << t.name();
  return "";
}

std::vector<std::string> Names(const google::protobuf::RepeatedPtrField<pb::GlueColumn>& cols) {
  std::vector<std::string> out;
  for (const auto& c : cols) out.push_back(c.name() + " " + c.type());
  return out;
}

// ---- the law, over every file -------------------------------------------------------------

TEST(GlueCorpus, HoldsTheDocumentedStatements) {
  EXPECT_GE(CorpusFiles().size(), kMinStatements) << "in " << kCorpus;
}

class GlueCorpusLaw : public ::testing::TestWithParam<std::string> {};

TEST_P(GlueCorpusLaw, ParsesAndRoundTripsThroughItsRendering) {
  const std::string file = GetParam() + ".sql";
  Result<ParsedTable> parsed = ParseCreateTable(ReadCorpusFile(GetParam()), file);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();

  const std::string rendered = RenderCreateTable(parsed->database, parsed->table);
  Result<ParsedTable> reparsed = ParseCreateTable(rendered, "rendered/" + file);
  ASSERT_TRUE(reparsed.ok()) << reparsed.status().ToString() << "\n" << rendered;
  EXPECT_EQ(reparsed->database, parsed->database);
  google::protobuf::util::MessageDifferencer differencer;
  std::string difference;
  differencer.ReportDifferencesToString(&difference);
  EXPECT_TRUE(differencer.Compare(parsed->table, reparsed->table))
      << "parse(render(t)) differs from t:\n"
      << difference << "\nrendered:\n"
      << rendered;

  EXPECT_EQ(RenderCreateTable(reparsed->database, reparsed->table), rendered)
      << "rendering is not a fixed point";
}

INSTANTIATE_TEST_SUITE_P(Aws, GlueCorpusLaw, ::testing::ValuesIn(CorpusFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;  // file stems are snake_case: valid test names
                         });

// ---- RegexSerDe: regexes survive Hive's unescaping exactly ---------------------------------

TEST(GlueCorpus, AlbRegexIsStoredAsHiveUnescapesIt) {
  pb::GlueTable t = Corpus("alb_logs").table;
  EXPECT_EQ(t.name(), "alb_logs");
  EXPECT_EQ(t.columns_size(), 33);
  EXPECT_EQ(t.serde().serialization_library(), kRegexSerDe);
  // \" is a quote; \s is not one of Hive's escapes, so its backslash is dropped: the documented
  // [^\s] is stored as [^s], as Hive's unescaping does (adapters/glue/ddl_literal.h).
  EXPECT_EQ(
      SerdeParams(t)["input.regex"],
      R"re(([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*):([0-9]*) ([^ ]*)[:-]([0-9]*) ([-.0-9]*) ([-.0-9]*) ([-.0-9]*) (|[-0-9]*) (-|[-0-9]*) ([-0-9]*) ([-0-9]*) "([^ ]*) (.*) (- |[^ ]*)" "([^"]*)" ([A-Z0-9-_]+) ([A-Za-z0-9.-]*) ([^ ]*) "([^"]*)" "([^"]*)" "([^"]*)" ([-.0-9]*) ([^ ]*) "([^"]*)" "([^"]*)" "([^ ]*)" "([^s]+?)" "([^s]+)" "([^ ]*)" "([^ ]*)")re");
  EXPECT_EQ(SerdeParams(t)["serialization.format"], "1");
  EXPECT_EQ(t.input_format(), kTextInput);
  EXPECT_EQ(t.output_format(), kTextOutput);
  EXPECT_EQ(t.location(), "s3://your-alb-logs-directory/AWSLogs/<ACCOUNT-ID>/elasticloadbalancing/<REGION>/");
}

TEST(GlueCorpus, EscapedBackslashesInRegexesKeepOneBackslash) {
  // '\\\"' is a backslash and a quote; '\"' a quote.
  EXPECT_EQ(
      SerdeParams(Corpus("elb_classic_logs").table)["input.regex"],
      R"re(([^ ]*) ([^ ]*) ([^ ]*):([0-9]*) ([^ ]*)[:-]([0-9]*) ([-.0-9]*) ([-.0-9]*) ([-.0-9]*) (|[-0-9]*) (-|[-0-9]*) ([-0-9]*) ([-0-9]*) \"([^ ]*) ([^ ]*) (- |[^ ]*)\" ("[^"]*") ([A-Z0-9-]+) ([A-Za-z0-9.-]*)$)re");
  EXPECT_EQ(
      SerdeParams(Corpus("s3_server_access_logs").table)["input.regex"],
      R"re(([^ ]*) ([^ ]*) \[(.*?)\] ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ("[^"]*"|-) (-|[0-9]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ("[^"]*"|-) ([^ ]*)(?: ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*))?.*$)re");
}

TEST(GlueCorpus, DoubleQuotedRegexKeepsBackslashPercentAndDropsUnknownEscapes) {
  pb::GlueTable t = Corpus("regex_serde_cloudfront").table;
  // "\\s" is \s; "\(" "\;" "\/" are unknown escapes (backslash dropped); "\%" keeps its backslash.
  EXPECT_EQ(
      SerdeParams(t)["input.regex"],
      R"re(^(?!#)([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+([^ ]+)\s+[^(]+[(]([^;]+).*\%20([^/]+)[/](.*)$)re");
  // Column names fold to lower case, `Date` included.
  EXPECT_EQ(Names(t.columns())[0], "date date");
  EXPECT_EQ(Names(t.columns())[12], "browserversion string");
}

// ---- ROW FORMAT DELIMITED and table parameters -----------------------------------------------

TEST(GlueCorpus, CloudFrontStandardLogsAreTabDelimitedAndSkipTwoHeaderLines) {
  pb::GlueTable t = Corpus("cloudfront_standard_logs").table;
  EXPECT_EQ(t.serde().serialization_library(), kLazySimple);
  EXPECT_EQ(SerdeParams(t), (std::map<std::string, std::string>{{"field.delim", "\t"},
                                                                {"serialization.format", "\t"}}));
  EXPECT_EQ(Params(t.parameters()),
            (std::map<std::string, std::string>{{"skip.header.line.count", "2"}}));
  EXPECT_EQ(t.input_format(), kTextInput);
  EXPECT_EQ(t.output_format(), kTextOutput);
  EXPECT_EQ(Names(t.columns())[0], "date date");
  EXPECT_EQ(ColumnType(t, "time_taken"), "float");
}

TEST(GlueCorpus, CloudFrontRealTimeLogsToo) {
  pb::GlueTable t = Corpus("cloudfront_real_time_logs").table;
  EXPECT_EQ(t.columns_size(), 45);
  EXPECT_EQ(Names(t.columns())[0], "timestamp string");
  EXPECT_EQ(SerdeParams(t)["field.delim"], "\t");
  EXPECT_EQ(Params(t.parameters())["skip.header.line.count"], "2");
}

TEST(GlueCorpus, DelimitedEscapeAndLineTerminators) {
  pb::GlueTable t = Corpus("lazy_simple_csv").table;
  EXPECT_EQ(SerdeParams(t), (std::map<std::string, std::string>{{"field.delim", ","},
                                                                {"escape.delim", "\\"},
                                                                {"line.delim", "\n"},
                                                                {"serialization.format", ","}}));
  EXPECT_EQ(t.columns_size(), 109);
  EXPECT_EQ(Names(t.partition_keys()), std::vector<std::string>{"year string"});
  EXPECT_EQ(SerdeParams(Corpus("lazy_simple_tsv").table)["field.delim"], "\t");
  // FIELDS TERMINATED BY ' ' (a space) is a delimiter like any other.
  EXPECT_EQ(SerdeParams(Corpus("vpc_flow_logs").table)["field.delim"], " ");
}

// ---- partition projection ----------------------------------------------------------------------

TEST(GlueCorpus, AlbPartitionProjectionIsKeptVerbatim) {
  pb::GlueTable t = Corpus("alb_logs_partition_projection").table;
  EXPECT_EQ(Names(t.partition_keys()), std::vector<std::string>{"day string"});
  EXPECT_EQ(Projection(t),
            (std::map<std::string, std::string>{
                {"projection.enabled", "true"},
                {"projection.day.type", "date"},
                {"projection.day.range", "2022/01/01,NOW"},
                {"projection.day.format", "yyyy/MM/dd"},
                {"projection.day.interval", "1"},
                {"projection.day.interval.unit", "DAYS"},
                {"storage.location.template",
                 "s3://your-alb-logs-directory/AWSLogs/<ACCOUNT-ID>/elasticloadbalancing/<REGION>/"
                 "${day}"},
            }));
  // The same regex as the table without projection.
  EXPECT_EQ(SerdeParams(t)["input.regex"], SerdeParams(Corpus("alb_logs").table)["input.regex"]);
}

TEST(GlueCorpus, ProjectionOverEnumAndDatePartitions) {
  pb::GlueTable vpc = Corpus("vpc_flow_logs_partition_projection").table;
  EXPECT_EQ(Names(vpc.partition_keys()), (std::vector<std::string>{"region string", "day string"}));
  EXPECT_EQ(Params(vpc.parameters())["projection.region.type"], "enum");
  EXPECT_EQ(Params(vpc.parameters())["projection.region.values"],
            "us-east-1,us-west-2,ap-south-1,eu-west-1");
  EXPECT_EQ(Params(vpc.parameters())["skip.header.line.count"], "1");

  pb::GlueTable cloudtrail = Corpus("cloudtrail_partition_projection").table;
  EXPECT_EQ(Names(cloudtrail.partition_keys()), std::vector<std::string>{"timestamp string"});
  EXPECT_EQ(Projection(cloudtrail).size(), 7u);
  EXPECT_EQ(Params(cloudtrail.parameters())["storage.location.template"],
            "s3://bucket/AWSLogs/account-id/CloudTrail/aws-region/${timestamp}");

  pb::GlueTable waf = Corpus("waf_logs_partition_projection").table;
  EXPECT_EQ(Projection(waf).size(), 9u);
  EXPECT_EQ(Params(waf.parameters())["projection.date.interval.unit"], "DAYS");
}

// ---- STORED AS expands to the classes of the notes' section 2.3 ------------------------------

TEST(GlueCorpus, StoredAsParquetExpandsToTheParquetClasses) {
  pb::GlueTable t = Corpus("parquet_flights").table;
  EXPECT_EQ(t.input_format(), "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
  EXPECT_EQ(t.output_format(), "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
  EXPECT_EQ(t.serde().serialization_library(),
            "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
  EXPECT_EQ(SerdeParams(t), (std::map<std::string, std::string>{{"serialization.format", "1"}}));
  EXPECT_EQ(Params(t.parameters())["parquet.compression"], "SNAPPY");
  // The spelled-out classes of the VPC flow log table are the same three.
  pb::GlueTable vpc = Corpus("vpc_flow_logs_parquet").table;
  EXPECT_EQ(vpc.input_format(), t.input_format());
  EXPECT_EQ(vpc.output_format(), t.output_format());
  EXPECT_EQ(vpc.serde().serialization_library(), t.serde().serialization_library());
  // Backquoted partition names may hold '-'.
  EXPECT_EQ(Names(vpc.partition_keys())[0], "aws-account-id string");
  // STORED AS parquet, in lower case, is the same format.
  EXPECT_EQ(Corpus("parquet_partitioned_users").table.input_format(), t.input_format());
}

TEST(GlueCorpus, StoredAsOrcAvroAndIonExpandToTheirClasses) {
  pb::GlueTable orc = Corpus("orc_flights").table;
  EXPECT_EQ(orc.input_format(), "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat");
  EXPECT_EQ(orc.output_format(), "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat");
  EXPECT_EQ(orc.serde().serialization_library(), "org.apache.hadoop.hive.ql.io.orc.OrcSerde");
  EXPECT_EQ(Params(orc.parameters())["orc.compress"], "ZLIB");

  pb::GlueTable avro = Corpus("avro_flights").table;
  EXPECT_EQ(avro.input_format(), "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat");
  EXPECT_EQ(avro.output_format(), "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat");
  EXPECT_EQ(avro.serde().serialization_library(), "org.apache.hadoop.hive.serde2.avro.AvroSerDe");
  // The schema literal spans lines and holds double quotes inside a single-quoted literal.
  const std::string schema = SerdeParams(avro)["avro.schema.literal"];
  EXPECT_TRUE(schema.starts_with("\n{\n   \"type\" : \"record\",\n")) << schema;
  EXPECT_NE(schema.find(R"("name" : "flights_avro_subset")"), std::string::npos) << schema;
  EXPECT_TRUE(schema.ends_with("} ]\n}\n")) << schema;

  pb::GlueTable ion = Corpus("ion_map_column").table;
  EXPECT_EQ(ion.input_format(), "com.amazon.ionhiveserde.formats.IonInputFormat");
  EXPECT_EQ(ion.output_format(), "com.amazon.ionhiveserde.formats.IonOutputFormat");
  EXPECT_EQ(ion.serde().serialization_library(), "com.amazon.ionhiveserde.IonHiveSerDe");
  EXPECT_EQ(ColumnType(ion, "identification"), "map<string,string>");
  pb::GlueTable extractors = Corpus("ion_path_extractors").table;
  EXPECT_EQ(SerdeParams(extractors)["ion.nickname.path_extractor"], "(alias)");
  EXPECT_EQ(SerdeParams(extractors)["ion.name.path_extractor"], "(identification name)");
}

TEST(GlueCorpus, SpelledOutOutputFormatsTakeHivesSubstitute) {
  // S3 Inventory's documented table writes Hadoop's IgnoreKeyTextOutputFormat; Hive stores its
  // own HiveIgnoreKeyTextOutputFormat in its place.
  pb::GlueTable t = Corpus("s3_inventory_orc").table;
  EXPECT_EQ(t.input_format(), "org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat");
  EXPECT_EQ(t.output_format(), kTextOutput);
  EXPECT_EQ(t.serde().serialization_library(), "org.apache.hadoop.hive.ql.io.orc.OrcSerde");
  EXPECT_EQ(Params(t.parameters())["projection.dt.format"], "yyyy-MM-dd-HH-mm");
  EXPECT_EQ(Corpus("s3_inventory_csv").table.serde().serialization_library(),
            "org.apache.hadoop.hive.serde2.OpenCSVSerde");
}

TEST(GlueCorpus, HudiInputFormatsAreKeptAsWritten) {
  EXPECT_EQ(Corpus("hudi_partition_cow").table.input_format(),
            "org.apache.hudi.hadoop.HoodieParquetInputFormat");
  pb::GlueTable rt = Corpus("hudi_nonpartition_mor_rt").table;
  EXPECT_EQ(rt.input_format(), "org.apache.hudi.hadoop.realtime.HoodieParquetRealtimeInputFormat");
  EXPECT_EQ(Names(rt.columns())[0], "_hoodie_commit_time string");
}

// ---- nested types are stored in Glue's lower-case form ----------------------------------------

TEST(GlueCorpus, CloudTrailStructsAreNormalised) {
  pb::GlueTable t = Corpus("cloudtrail_json_serde").table;
  EXPECT_EQ(t.serde().serialization_library(), "org.apache.hive.hcatalog.data.JsonSerDe");
  EXPECT_EQ(t.input_format(), "com.amazon.emr.cloudtrail.CloudTrailInputFormat");
  EXPECT_EQ(ColumnType(t, "useridentity"),
            "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,"
            "accesskeyid:string,username:string,sessioncontext:struct<attributes:struct<"
            "mfaauthenticated:string,creationdate:string>,sessionissuer:struct<type:string,"
            "principalid:string,arn:string,accountid:string,username:string>,"
            "ec2roledelivery:string,webidfederationdata:map<string,string>>>");
  EXPECT_EQ(ColumnType(t, "resources"), "array<struct<arn:string,accountid:string,type:string>>");
  EXPECT_EQ(Names(t.partition_keys()),
            (std::vector<std::string>{"region string", "year string", "month string",
                                      "day string"}));

  // The older form with CloudTrail's own SerDe, and camel-case names that fold the same way.
  pb::GlueTable serde = Corpus("cloudtrail_serde").table;
  EXPECT_EQ(serde.serde().serialization_library(), "com.amazon.emr.hive.serde.CloudTrailSerde");
  EXPECT_EQ(ColumnType(serde, "resources"), ColumnType(t, "resources"));
  EXPECT_EQ(Names(serde.columns())[1].substr(0, 25), "useridentity struct<type:");
  EXPECT_EQ(Corpus("cloudtrail_serde_partitioned").table.partition_keys_size(), 4);
}

TEST(GlueCorpus, WafAndRoute53NestingIsNormalised) {
  pb::GlueTable waf = Corpus("waf_logs").table;
  EXPECT_EQ(waf.serde().serialization_library(), kOpenXJson);
  EXPECT_EQ(ColumnType(waf, "httprequest"),
            "struct<clientip:string,country:string,headers:array<struct<name:string,"
            "value:string>>,uri:string,args:string,httpversion:string,httpmethod:string,"
            "requestid:string>");
  EXPECT_EQ(ColumnType(waf, "captcharesponse"),
            "struct<responsecode:string,solvetimestamp:string,failurereason:string>");
  EXPECT_EQ(ColumnType(waf, "rulegrouplist"),
            "array<struct<rulegroupid:string,terminatingrule:struct<ruleid:string,action:string,"
            "rulematchdetails:array<struct<conditiontype:string,sensitivitylevel:string,"
            "location:string,matcheddata:array<string>>>>,nonterminatingmatchingrules:array<"
            "struct<ruleid:string,action:string,overriddenaction:string,rulematchdetails:array<"
            "struct<conditiontype:string,sensitivitylevel:string,location:string,"
            "matcheddata:array<string>>>>>,excludedrules:string>>");

  pb::GlueTable r53 = Corpus("route53_resolver_query_logs").table;
  EXPECT_EQ(ColumnType(r53, "answers"), "array<struct<rdata:string,type:string,class:string>>");
  EXPECT_EQ(ColumnType(r53, "srcids"), "struct<instance:string,resolver_endpoint:string>");
  // A type on the line after its column's name.
  EXPECT_EQ(ColumnType(r53, "query_class"), "string");

  pb::GlueTable firewall = Corpus("network_firewall_logs").table;
  EXPECT_EQ(ColumnType(firewall, "event").substr(0, 40), "struct<timestamp:string,flow_id:bigint,e");
}

TEST(GlueCorpus, JsonSerDeMappingsAndNestedStructs) {
  pb::GlueTable t = Corpus("openx_json_mapping").table;
  EXPECT_EQ(SerdeParams(t)["mapping.my_struct_field"], "my:struct:field");
  EXPECT_EQ(ColumnType(t, "item"), "struct<my_struct_field:string>");
  EXPECT_EQ(t.location(), "");  // the documented statement has no LOCATION

  pb::GlueTable nested = Corpus("openx_json_nested").table;
  EXPECT_EQ(ColumnType(nested, "user"),
            "struct<id:int,username:string,name:string,shippingaddress:struct<address1:string,"
            "address2:string,city:string,state:string>,orders:array<struct<itemid:int,"
            "orderdate:string>>>");
  EXPECT_EQ(SerdeParams(Corpus("openx_json_ignore_malformed").table)["ignore.malformed.json"],
            "true");
  // "struct" and its "<" on separate lines.
  EXPECT_EQ(ColumnType(Corpus("hive_json_impressions").table, "timers"),
            "struct<modellookup:string,requesttime:string>");
}

// ---- other SerDes and clauses ------------------------------------------------------------------

TEST(GlueCorpus, GrokPatternsKeepNewlinesAndEscapedBrackets) {
  pb::GlueTable t = Corpus("grok_s3_access_logs").table;
  EXPECT_EQ(t.serde().serialization_library(), "com.amazonaws.glue.serde.GrokSerDe");
  EXPECT_EQ(SerdeParams(t)["input.grokCustomPatterns"],
            "INSIDE_QS ([^\"]*)\nINSIDE_BRACKETS ([^\\]]*)");
  EXPECT_TRUE(SerdeParams(t)["input.format"].starts_with(
      R"(%{NOTSPACE:bucket_owner} %{NOTSPACE:bucket} \[%{INSIDE_BRACKETS:time}\] )"));
  // SHOW CREATE TABLE's "from deserializer" is not a comment anyone wrote.
  for (const auto& c : t.columns()) EXPECT_EQ(c.comment(), "") << c.name();

  pb::GlueTable custom = Corpus("grok_custom_log").table;
  EXPECT_EQ(SerdeParams(custom)["input.grokCustomPatterns"], "C_ACTION receive|send");
}

TEST(GlueCorpus, OpenCsvQuoteAndEscapeCharacters) {
  pb::GlueTable t = Corpus("opencsv_quote_char").table;
  EXPECT_EQ(SerdeParams(t), (std::map<std::string, std::string>{{"separatorChar", ","},
                                                                {"quoteChar", "\""},
                                                                {"escapeChar", "\\"},
                                                                {"serialization.format", "1"}}));
  EXPECT_EQ(t.input_format(), kTextInput);  // STORED AS TEXTFILE after WITH SERDEPROPERTIES
  EXPECT_EQ(SerdeParams(Corpus("opencsv_escape_char").table)["escapeChar"], "\\");
}

TEST(GlueCorpus, ClusteredByIntoBuckets) {
  pb::GlueTable t = Corpus("spark_bucketed").table;
  EXPECT_EQ(std::vector<std::string>(t.bucket_columns().begin(), t.bucket_columns().end()),
            std::vector<std::string>{"name"});
  EXPECT_EQ(t.num_buckets(), 8);
  EXPECT_EQ(Params(t.parameters())["bucketing_format"], "spark");
  EXPECT_EQ(t.serde().serialization_library(),
            "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
}

TEST(GlueCorpus, QualifiedNamesInTheirDocumentedSpellings) {
  ParsedTable one_pair = Corpus("tpch_lineitem_parquet");  // `tpch100.lineitem_parq_partitioned`
  EXPECT_EQ(one_pair.database, "tpch100");
  EXPECT_EQ(one_pair.table.name(), "lineitem_parq_partitioned");
  ParsedTable two_pairs = Corpus("ctas_etl_original_csv");  // `blogdb`.`original_csv`
  EXPECT_EQ(two_pairs.database, "blogdb");
  EXPECT_EQ(two_pairs.table.name(), "original_csv");
  ParsedTable plain = Corpus("cloudfront_standard_logs");  // default.cloudfront_logs
  EXPECT_EQ(plain.database, "default");
  EXPECT_EQ(Corpus("underscore_names").table.name(), "_myunderscoretable");
  EXPECT_EQ(Corpus("reserved_word_names").table.name(), "partition");
}

TEST(GlueCorpus, PropertiesAndEmptyColumnComments) {
  pb::GlueTable t = Corpus("parquet_zstd_level").table;
  EXPECT_EQ(Params(t.parameters()),
            (std::map<std::string, std::string>{{"write.compression", "ZSTD"},
                                                {"compression_level", "4"}}));
  for (const auto& c : t.columns()) EXPECT_EQ(c.comment(), "") << c.name();
  // 'EXTERNAL'='true' is an ordinary property to the parser.
  EXPECT_EQ(Params(Corpus("vpc_flow_logs_parquet").table.parameters())["EXTERNAL"], "true");
}

}  // namespace
}  // namespace strata::glue
