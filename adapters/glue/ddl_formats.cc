#include "adapters/glue/ddl_formats.h"

#include "adapters/glue/ddl_cursor.h"

namespace strata::glue {
namespace {

constexpr std::string_view kTextInput = "org.apache.hadoop.mapred.TextInputFormat";
constexpr std::string_view kHiveTextOutput =
    "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
constexpr std::string_view kHadoopTextOutput =
    "org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat";
constexpr std::string_view kHiveSequenceOutput =
    "org.apache.hadoop.hive.ql.io.HiveSequenceFileOutputFormat";
constexpr std::string_view kHadoopSequenceOutput = "org.apache.hadoop.mapred.SequenceFileOutputFormat";

}  // namespace

const std::vector<StorageFormat>& StorageFormats() {
  static const std::vector<StorageFormat> kFormats = {
      {"TEXTFILE", kTextInput, kHiveTextOutput, kLazySimpleSerDe},
      {"PARQUET", "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
       "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
       "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"},
      {"ORC", "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat",
       "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat", "org.apache.hadoop.hive.ql.io.orc.OrcSerde"},
      {"AVRO", "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat",
       "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat",
       "org.apache.hadoop.hive.serde2.avro.AvroSerDe"},
      // Hive's hive.default.rcfile.serde.
      {"RCFILE", "org.apache.hadoop.hive.ql.io.RCFileInputFormat",
       "org.apache.hadoop.hive.ql.io.RCFileOutputFormat",
       "org.apache.hadoop.hive.serde2.columnar.LazyBinaryColumnarSerDe"},
      {"SEQUENCEFILE", "org.apache.hadoop.mapred.SequenceFileInputFormat", kHiveSequenceOutput,
       kLazySimpleSerDe},
      {"ION", "com.amazon.ionhiveserde.formats.IonInputFormat",
       "com.amazon.ionhiveserde.formats.IonOutputFormat", "com.amazon.ionhiveserde.IonHiveSerDe"},
  };
  return kFormats;
}

const StorageFormat* FindStorageFormat(std::string_view name) {
  const std::string lower = Lower(name);
  for (const auto& format : StorageFormats()) {
    if (Lower(format.name) == lower) return &format;
  }
  return nullptr;
}

const StorageFormat* StorageFormatOf(std::string_view input_format,
                                     std::string_view output_format) {
  for (const auto& format : StorageFormats()) {
    if (format.input_format == input_format &&
        format.output_format == SubstituteOutputFormat(output_format)) {
      return &format;
    }
  }
  return nullptr;
}

std::string_view SubstituteOutputFormat(std::string_view output_format) {
  if (output_format == kHadoopTextOutput) return kHiveTextOutput;
  if (output_format == kHadoopSequenceOutput) return kHiveSequenceOutput;
  return output_format;
}

void AddDelimitedParameters(const DelimitedRowFormat& row,
                            google::protobuf::Map<std::string, std::string>* params) {
  auto set = [params](std::string_view key, const std::optional<std::string>& value) {
    if (value) (*params)[std::string(key)] = *value;
  };
  set(kFieldDelim, row.fields);
  set(kSerializationFormat, row.fields);
  set(kEscapeDelim, row.escape);
  set(kCollectionDelim, row.collection_items);
  set(kMapKeyDelim, row.map_keys);
  set(kLineDelim, row.lines);
  set(kNullFormat, row.null_format);
}

}  // namespace strata::glue
