#include "adapters/glue/ddl_formats.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace strata::glue {
namespace {

TEST(DdlFormats, EveryStoredAsFormatHasItsHiveClasses) {
  std::map<std::string, std::string> serde_of;
  for (const auto& f : StorageFormats()) {
    EXPECT_FALSE(f.input_format.empty()) << f.name;
    EXPECT_FALSE(f.output_format.empty()) << f.name;
    serde_of[std::string(f.name)] = std::string(f.serde);
  }
  EXPECT_EQ(serde_of, (std::map<std::string, std::string>{
                          {"TEXTFILE", "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"},
                          {"PARQUET", "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"},
                          {"ORC", "org.apache.hadoop.hive.ql.io.orc.OrcSerde"},
                          {"AVRO", "org.apache.hadoop.hive.serde2.avro.AvroSerDe"},
                          {"RCFILE", "org.apache.hadoop.hive.serde2.columnar.LazyBinaryColumnarSerDe"},
                          {"SEQUENCEFILE", "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"},
                          {"ION", "com.amazon.ionhiveserde.IonHiveSerDe"},
                      }));
  const StorageFormat* text = FindStorageFormat("textfile");
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(text->input_format, "org.apache.hadoop.mapred.TextInputFormat");
  EXPECT_EQ(text->output_format, "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat");
  const StorageFormat* parquet = FindStorageFormat("Parquet");
  ASSERT_NE(parquet, nullptr);
  EXPECT_EQ(parquet->input_format, "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
  EXPECT_EQ(parquet->output_format,
            "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
  EXPECT_EQ(FindStorageFormat("JSONFILE"), nullptr);
}

TEST(DdlFormats, HadoopOutputFormatsAreStoredAsHivesSubstitutes) {
  EXPECT_EQ(SubstituteOutputFormat("org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat"),
            "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat");
  EXPECT_EQ(SubstituteOutputFormat("org.apache.hadoop.mapred.SequenceFileOutputFormat"),
            "org.apache.hadoop.hive.ql.io.HiveSequenceFileOutputFormat");
  EXPECT_EQ(SubstituteOutputFormat("com.example.MyOutputFormat"), "com.example.MyOutputFormat");
}

TEST(DdlFormats, AFormatIsRecognisedByItsClasses) {
  const StorageFormat* orc = StorageFormatOf("org.apache.hadoop.hive.ql.io.orc.OrcInputFormat",
                                             "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat");
  ASSERT_NE(orc, nullptr);
  EXPECT_EQ(orc->name, "ORC");
  const StorageFormat* text =
      StorageFormatOf("org.apache.hadoop.mapred.TextInputFormat",
                      "org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat");
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(text->name, "TEXTFILE");
  EXPECT_EQ(StorageFormatOf("com.amazon.emr.cloudtrail.CloudTrailInputFormat",
                            "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"),
            nullptr);
}

TEST(DdlFormats, DelimitedRowFormatSetsHivesSerDeParameters) {
  DelimitedRowFormat row;
  row.fields = ",";
  row.escape = "\\";
  row.collection_items = "|";
  row.map_keys = ":";
  row.lines = "\n";
  row.null_format = "NA";
  google::protobuf::Map<std::string, std::string> params;
  params["serialization.format"] = "1";
  params["other"] = "kept";
  AddDelimitedParameters(row, &params);
  EXPECT_EQ((std::map<std::string, std::string>(params.begin(), params.end())),
            (std::map<std::string, std::string>{
                {"field.delim", ","},
                {"serialization.format", ","},  // FIELDS replaces Hive's default "1"
                {"escape.delim", "\\"},
                {"colelction.delim", "|"},  // Hive 2's spelling, as Athena stores it
                {"mapkey.delim", ":"},
                {"line.delim", "\n"},
                {"serialization.null.format", "NA"},
                {"other", "kept"},
            }));
  // Unset clauses set nothing.
  google::protobuf::Map<std::string, std::string> none;
  AddDelimitedParameters(DelimitedRowFormat{}, &none);
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace strata::glue
