// What Hive's storage and row-format clauses stand for in Glue: the class names of
// STORED AS <format> (Hive's *StorageFormatDescriptor classes, and Athena's ION), the SerDe
// parameters of ROW FORMAT DELIMITED, and the SerDe a table gets when it names none.
//
// STORED AS X and the spelled-out STORED AS INPUTFORMAT … OUTPUTFORMAT … with X's classes give
// the same table; Glue keeps SerDe and formats independent (a CUR table has the Parquet SerDe
// with text formats), so each is looked up on its own. Constant tables; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/glue.pb.h"

namespace strata::glue {

inline constexpr std::string_view kLazySimpleSerDe =
    "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
// Hive gives every table it creates this SerDe parameter (Table.getEmptyTable); ROW FORMAT
// DELIMITED FIELDS replaces it with the field delimiter, SERDEPROPERTIES may set it.
inline constexpr std::string_view kSerializationFormat = "serialization.format";
inline constexpr std::string_view kDefaultSerializationFormat = "1";

struct StorageFormat {
  std::string_view name;  // as written after STORED AS, upper case
  std::string_view input_format;
  std::string_view output_format;
  std::string_view serde;  // the SerDe when ROW FORMAT names none
};

// Every format STORED AS accepts: TEXTFILE (the default), PARQUET, ORC, AVRO, RCFILE,
// SEQUENCEFILE, ION.
const std::vector<StorageFormat>& StorageFormats();
// The format named `name` (any case), or null.
const StorageFormat* FindStorageFormat(std::string_view name);
// The format whose input and output classes these are, or null: for describing a table.
const StorageFormat* StorageFormatOf(std::string_view input_format, std::string_view output_format);

// The output format Hive stores for `output_format`: Hive replaces the two Hadoop classes that
// cannot write Hive rows by its own (HiveFileFormatUtils' substitutes), so IgnoreKeyTextOutputFormat
// becomes HiveIgnoreKeyTextOutputFormat and mapred.SequenceFileOutputFormat becomes
// HiveSequenceFileOutputFormat. Any other class is kept.
std::string_view SubstituteOutputFormat(std::string_view output_format);

// The clauses of ROW FORMAT DELIMITED, as unescaped literal values; unset clauses are absent.
struct DelimitedRowFormat {
  std::optional<std::string> fields;            // FIELDS TERMINATED BY
  std::optional<std::string> escape;            // ESCAPED BY
  std::optional<std::string> collection_items;  // COLLECTION ITEMS TERMINATED BY
  std::optional<std::string> map_keys;          // MAP KEYS TERMINATED BY
  std::optional<std::string> lines;             // LINES TERMINATED BY
  std::optional<std::string> null_format;       // NULL DEFINED AS
};

// The SerDe parameter each clause sets. COLLECTION ITEMS writes Hive 2's misspelt key
// "colelction.delim" (serdeConstants.COLLECTION_DELIM until Hive 3, HIVE-16922): that is the
// key Athena's Hive-2-based DDL stores, and the key Hive 2, Hive 3 (which falls back to it) and
// Trino's text readers all understand.
inline constexpr std::string_view kFieldDelim = "field.delim";
inline constexpr std::string_view kEscapeDelim = "escape.delim";
inline constexpr std::string_view kCollectionDelim = "colelction.delim";
inline constexpr std::string_view kMapKeyDelim = "mapkey.delim";
inline constexpr std::string_view kLineDelim = "line.delim";
inline constexpr std::string_view kNullFormat = "serialization.null.format";

// Sets the parameters `row` stands for in `params`: FIELDS sets field.delim and also
// serialization.format (Hive does both), the others one key each.
void AddDelimitedParameters(const DelimitedRowFormat& row,
                            google::protobuf::Map<std::string, std::string>* params);

}  // namespace strata::glue
