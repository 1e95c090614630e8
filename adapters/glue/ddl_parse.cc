// ParseCreateTable: the statement's head (CREATE [EXTERNAL] TABLE [IF NOT EXISTS] name), then its
// clauses in Hive's order, then the table assembled from them and checked as a whole (repeated
// columns, partition columns that repeat data columns, bucketing over unknown columns).
//
// Clauses may each appear once, in Hive's order (with Athena's standalone WITH SERDEPROPERTIES
// after STORED AS); a clause out of order is reported as such rather than as a syntax error.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "adapters/glue/ddl.h"
#include "adapters/glue/ddl_cursor.h"
#include "adapters/glue/ddl_formats.h"
#include "adapters/glue/ddl_types.h"
#include "adapters/glue/ddl_unsupported.h"
#include "engine/state/canonical_glue_postgres.h"

namespace strata::glue {
namespace {

// Athena's limit on database, table and column names.
constexpr size_t kMaxNameChars = 255;
// What SHOW CREATE TABLE prints for the columns of SerDes that supply their own schema; it is not
// a comment anyone wrote, and Hive stores it if it is written back (apache/hive PR #2593).
constexpr std::string_view kFromDeserializer = "from deserializer";

enum Clause {
  kComment,
  kPartitionedBy,
  kClusteredBy,
  kRowFormat,
  kStoredAs,
  kSerdeProperties,
  kLocation,
  kTblProperties,
  kClauseCount,
};

constexpr std::string_view kClauseNames[kClauseCount] = {
    "COMMENT",  "PARTITIONED BY",          "CLUSTERED BY", "ROW FORMAT",
    "STORED AS", "WITH SERDEPROPERTIES", "LOCATION",     "TBLPROPERTIES",
};

// The value of a number token when it is a whole number, else -1; values past INT32_MAX come
// back as INT32_MAX + 1.
int64_t WholeNumber(std::string_view text) {
  int64_t n = 0;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return -1;
    n = std::min<int64_t>(n * 10 + (ch - '0'), int64_t{INT32_MAX} + 1);
  }
  return n;
}

struct Located {
  std::string value;
  TextPosition at;
};

struct Property {
  std::string key;
  std::string value;
  TextPosition at;  // of the key
};

class StatementParser {
 public:
  StatementParser(const std::vector<Token>& tokens, std::string_view file) : c_(tokens, file) {}

  Result<ParsedTable> Parse() {
    STRATA_RETURN_IF_ERROR(Head());
    STRATA_RETURN_IF_ERROR(TableName());
    if (c_.IsSymbol("(")) STRATA_RETURN_IF_ERROR(ColumnList(&columns_, "column"));
    STRATA_RETURN_IF_ERROR(Clauses());
    STRATA_RETURN_IF_ERROR(End());
    return Assemble();
  }

 private:
  // ---- head ---------------------------------------------------------------------------------

  Status Head() {
    if (!c_.IsKeyword("CREATE")) {
      return c_.Unexpected(c_.Peek(), "CREATE EXTERNAL TABLE (a table file holds the table's "
                                      "CREATE EXTERNAL TABLE statement)");
    }
    c_.Next();
    STRATA_RETURN_IF_ERROR(RefuseOtherCreate(c_));
    const bool external = c_.AcceptKeyword("EXTERNAL");
    const Token& table_keyword = c_.Peek();
    STRATA_RETURN_IF_ERROR(c_.ExpectKeyword("TABLE", external ? "TABLE" : "EXTERNAL TABLE"));
    if (c_.IsKeyword("IF") && c_.IsKeyword("NOT", 1)) {
      c_.Next();
      c_.Next();
      STRATA_RETURN_IF_ERROR(c_.ExpectKeyword("EXISTS", "EXISTS (IF NOT EXISTS)"));
    }
    return RefuseUnsupportedTable(c_, external, table_keyword);
  }

  // A database or table name: letters, digits, '_' and '-' (Glue folds them to lower case).
  Status CheckObjectName(const Token& at, const std::string& name, std::string_view what) {
    if (name.empty()) return c_.ErrorAt(at, fmt::format("the {} name is empty", what));
    if (name.size() > kMaxNameChars) {
      return c_.ErrorAt(at, fmt::format("the {} name is {} characters long; Athena allows at "
                                        "most {}",
                                        what, name.size(), kMaxNameChars));
    }
    for (char ch : name) {
      const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
      if (!ok) {
        return c_.ErrorAt(at, fmt::format("the {} name `{}` may hold only letters, digits, _ "
                                          "and -",
                                          what, name));
      }
    }
    return Status::Ok();
  }

  // One part of a qualified name: a word or a backquoted name.
  Result<std::string> NamePart(std::string_view expected) {
    const Token& token = c_.Peek();
    if (token.kind == TokenKind::kString) {
      return c_.ErrorAt(token, fmt::format("found the string '{}', expected {}: names are "
                                           "written plain or in backquotes (`{}`), not in quotes",
                                           token.text, expected, token.text));
    }
    if (token.kind != TokenKind::kWord && token.kind != TokenKind::kName) {
      return c_.Unexpected(token, expected);
    }
    c_.Next();
    return Lower(token.text);
  }

  // name, db.name, `db`.`name`, or `db.name` (one pair of backquotes: Athena reads it as
  // database and table).
  Status TableName() {
    const Token& first = c_.Peek();
    out_.name_position = first.position;
    STRATA_ASSIGN_OR_RETURN(std::string a, NamePart("the table name"));
    std::string db, table = a;
    const Token* table_at = &first;
    bool qualified = false;  // a database part was written, even an empty one (`.t`)
    if (c_.AcceptSymbol(".")) {
      table_at = &c_.Peek();
      STRATA_ASSIGN_OR_RETURN(table, NamePart("the table name after the database name and '.'"));
      db = a;
      qualified = true;
    } else if (first.kind == TokenKind::kName && a.find('.') != std::string::npos) {
      db = a.substr(0, a.find('.'));
      table = a.substr(a.find('.') + 1);
      qualified = true;
    }
    if (c_.IsSymbol(".") || table.find('.') != std::string::npos) {
      return c_.ErrorAt(c_.IsSymbol(".") ? c_.Peek() : *table_at,
                        "a table name has at most two parts: database.table");
    }
    if (qualified) STRATA_RETURN_IF_ERROR(CheckObjectName(first, db, "database"));
    STRATA_RETURN_IF_ERROR(CheckObjectName(*table_at, table, "table"));
    out_.database = db;
    out_.table.set_name(table);
    return Status::Ok();
  }

  // ---- columns --------------------------------------------------------------------------------

  Status CheckColumnName(const Token& at, const std::string& name) {
    if (name.empty()) return c_.ErrorAt(at, "the column name is empty");
    if (name.size() > kMaxNameChars) {
      return c_.ErrorAt(at, fmt::format("the column name is {} characters long; Athena allows "
                                        "at most {}",
                                        name.size(), kMaxNameChars));
    }
    for (char ch : name) {
      if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F) {
        return c_.ErrorAt(at, "a column name may not hold control characters");
      }
    }
    return Status::Ok();
  }

  // A column name at the cursor; table constraints, which Athena does not have, are refused.
  Result<std::string> ColumnName(std::string_view what) {
    const Token& token = c_.Peek();
    if ((c_.IsKeyword("PRIMARY") || c_.IsKeyword("FOREIGN")) && c_.IsKeyword("KEY", 1)) {
      return c_.ErrorAt(token, "table constraints (PRIMARY KEY, FOREIGN KEY) are not supported "
                               "by Athena's Hive tables");
    }
    if (token.kind != TokenKind::kWord && token.kind != TokenKind::kName) {
      return c_.Unexpected(token, fmt::format("a {} name", what));
    }
    c_.Next();
    std::string name = Lower(token.text);
    STRATA_RETURN_IF_ERROR(CheckColumnName(token, name));
    return name;
  }

  // Adjacent literals are one string ('a' 'b' is "ab"), as in Hive.
  Result<Located> StringValue(std::string_view expected) {
    const Token& first = c_.Peek();
    if (first.kind != TokenKind::kString) return c_.Unexpected(first, expected);
    Located out{"", first.position};
    while (c_.Peek().kind == TokenKind::kString) out.value += c_.Next().text;
    return out;
  }

  Status Column(std::string_view what, std::vector<pb::GlueColumn>* columns,
                std::vector<TextPosition>* positions) {
    const Token& name_at = c_.Peek();
    STRATA_ASSIGN_OR_RETURN(std::string name, ColumnName(what));
    if (what == "partition column" && (c_.IsSymbol(",") || c_.IsSymbol(")"))) {
      return c_.ErrorAt(name_at, fmt::format("partition column {} has no type: a Hive table "
                                             "types its partition columns ({} string); untyped "
                                             "ones are Iceberg's syntax",
                                             name, name));
    }
    pb::GlueColumn column;
    column.set_name(name);
    STRATA_ASSIGN_OR_RETURN(std::string type, ParseHiveType(&c_));
    column.set_type(type);
    if (c_.AcceptKeyword("COMMENT")) {
      STRATA_ASSIGN_OR_RETURN(Located comment, StringValue("the column comment, a string"));
      if (comment.value != kFromDeserializer) column.set_comment(comment.value);
    }
    columns->push_back(std::move(column));
    positions->push_back(name_at.position);
    return Status::Ok();
  }

  Status ColumnList(std::vector<pb::GlueColumn>* columns, std::string_view what) {
    auto* positions = what == "column" ? &column_at_ : &partition_at_;
    STRATA_RETURN_IF_ERROR(c_.ExpectSymbol("(", fmt::format("'(' and the {}s", what)));
    while (true) {
      if (c_.IsSymbol(")")) {
        const std::string fix = columns->empty()
                                    ? fmt::format("leave out the empty ()")
                                    : fmt::format("remove the ',' after the last {}", what);
        return c_.Unexpected(c_.Peek(), fmt::format("a {} name ({})", what, fix));
      }
      STRATA_RETURN_IF_ERROR(Column(what, columns, positions));
      if (c_.AcceptSymbol(")")) return Status::Ok();
      STRATA_RETURN_IF_ERROR(c_.ExpectSymbol(
          ",", fmt::format("',' and another {}, or ')' to close the list", what)));
    }
  }

  // ---- clauses --------------------------------------------------------------------------------

  // The clause starting at the cursor, or kClauseCount when none does.
  Clause ClauseAtCursor() const {
    if (c_.IsKeyword("COMMENT")) return kComment;
    if (c_.IsKeyword("PARTITIONED")) return kPartitionedBy;
    if (c_.IsKeyword("CLUSTERED")) return kClusteredBy;
    if (c_.IsKeyword("ROW")) return kRowFormat;
    if (c_.IsKeyword("STORED")) return kStoredAs;
    if (c_.IsKeyword("WITH")) return kSerdeProperties;
    if (c_.IsKeyword("LOCATION")) return kLocation;
    if (c_.IsKeyword("TBLPROPERTIES")) return kTblProperties;
    return kClauseCount;
  }

  // "COMMENT, PARTITIONED BY, … or the end of the statement": what may still follow `last`.
  std::string Following(int last) const {
    std::string out;
    for (int k = last + 1; k < kClauseCount; ++k) out += std::string(kClauseNames[k]) + ", ";
    return out + "or the end of the statement";
  }

  Status NotAClause(int last) {
    const Token& token = c_.Peek();
    if (c_.IsKeyword("SKEWED")) {
      return c_.ErrorAt(token, "SKEWED BY is not supported by Athena; leave it out");
    }
    if (c_.IsKeyword("SORTED")) {
      return c_.ErrorAt(token, "SORTED BY belongs inside CLUSTERED BY: CLUSTERED BY (c) SORTED BY "
                               "(c) INTO n BUCKETS");
    }
    if (token.kind == TokenKind::kWord) {
      std::vector<std::string_view> words = {"COMMENT", "PARTITIONED", "CLUSTERED", "ROW",
                                             "STORED", "WITH", "LOCATION", "TBLPROPERTIES"};
      std::string_view hint = ClosestWord(token.text, words);
      if (!hint.empty()) {
        return c_.Unexpected(token, fmt::format("{} (did you mean {}?)", Following(last), hint));
      }
    }
    return c_.Unexpected(token, Following(last));
  }

  Status Clauses() {
    int last = -1;
    std::optional<TextPosition> seen[kClauseCount];
    while (!c_.IsSymbol(";") && !c_.AtEnd()) {
      const Clause clause = ClauseAtCursor();
      if (clause == kClauseCount) return NotAClause(last);
      const Token& at = c_.Peek();
      if (seen[clause]) {
        return c_.ErrorAt(at, fmt::format("{} is given twice (first at line {}, column {})",
                                          kClauseNames[clause], seen[clause]->line,
                                          seen[clause]->column));
      }
      if (clause < last) {
        return c_.ErrorAt(at, fmt::format("{} must come before {}: Hive's clause order is "
                                          "COMMENT, PARTITIONED BY, CLUSTERED BY, ROW FORMAT, "
                                          "STORED AS, WITH SERDEPROPERTIES, LOCATION, "
                                          "TBLPROPERTIES",
                                          kClauseNames[clause], kClauseNames[last]));
      }
      seen[clause] = at.position;
      last = clause;
      STRATA_RETURN_IF_ERROR(ReadClause(clause));
    }
    return Status::Ok();
  }

  Status ReadClause(Clause clause) {
    switch (clause) {
      case kComment: return TableComment();
      case kPartitionedBy:
        c_.Next();
        STRATA_RETURN_IF_ERROR(c_.ExpectKeyword("BY", "BY (PARTITIONED BY)"));
        return ColumnList(&partitions_, "partition column");
      case kClusteredBy: return ClusteredBy();
      case kRowFormat: return RowFormat();
      case kStoredAs: return StoredAs();
      case kSerdeProperties: return WithSerdeProperties();
      case kLocation: {
        c_.Next();
        STRATA_ASSIGN_OR_RETURN(Located location, StringValue("the location, a string"));
        if (location.value.empty()) {
          return c_.ErrorAt(location.at, "the location is empty; leave LOCATION out for a table "
                                         "without one");
        }
        location_ = location.value;
        return Status::Ok();
      }
      case kTblProperties:
        c_.Next();
        return Properties("TBLPROPERTIES", &table_properties_);
      case kClauseCount: break;
    }
    return Status::Internal("glue ddl: no reader for a clause");
  }

  Status TableComment() {
    c_.Next();
    STRATA_ASSIGN_OR_RETURN(Located comment, StringValue("the table comment, a string"));
    table_comment_ = std::move(comment);
    return Status::Ok();
  }

  // A bucket or sort column: a data column of the table, named once.
  Result<std::string> BucketColumn(std::string_view what, std::set<std::string>* seen) {
    const Token& at = c_.Peek();
    STRATA_ASSIGN_OR_RETURN(std::string name, ColumnName(what));
    bool known = false;
    for (const auto& column : columns_) known = known || column.name() == name;
    if (!known) {
      return c_.ErrorAt(at, fmt::format("{} {} is not a column of the table (partition columns "
                                        "cannot be used)",
                                        what, name));
    }
    if (!seen->insert(name).second) {
      return c_.ErrorAt(at, fmt::format("{} {} is named twice", what, name));
    }
    return name;
  }

  Status ClusteredBy() {
    c_.Next();
    STRATA_RETURN_IF_ERROR(c_.ExpectKeyword("BY", "BY (CLUSTERED BY)"));
    STRATA_RETURN_IF_ERROR(c_.ExpectSymbol("(", "'(' and the bucket columns"));
    std::set<std::string> seen;
    do {
      STRATA_ASSIGN_OR_RETURN(std::string name, BucketColumn("bucket column", &seen));
      out_.table.add_bucket_columns(name);
    } while (c_.AcceptSymbol(","));
    STRATA_RETURN_IF_ERROR(c_.ExpectSymbol(")", "',' and another column, or ')'"));
    if (c_.AcceptKeyword("SORTED")) STRATA_RETURN_IF_ERROR(SortedBy());
    STRATA_RETURN_IF_ERROR(c_.ExpectKeyword("INTO", "INTO n BUCKETS"));
    const Token& count = c_.Peek();
    if (count.kind != TokenKind::kNumber) return c_.Unexpected(count, "the number of buckets");
    c_.Next();
    const int64_t n = WholeNumber(count.text);
    if (n < 1 || n > INT32_MAX) {
      return c_.ErrorAt(count, fmt::format("the number of buckets must be a whole number from 1 "
                                           "to {}, not {}",
                                           INT32_MAX, count.text));
    }
    out_.table.set_num_buckets(static_cast<int32_t>(n));
    return c_.ExpectKeyword("BUCKETS", "BUCKETS (INTO n BUCKETS)");
  }

  Status SortedBy() {
    STRATA_RETURN_IF_ERROR(c_.ExpectKeyword("BY", "BY (SORTED BY)"));
    STRATA_RETURN_IF_ERROR(c_.ExpectSymbol("(", "'(' and the sort columns"));
    std::set<std::string> seen;
    do {
      STRATA_ASSIGN_OR_RETURN(std::string name, BucketColumn("sort column", &seen));
      pb::GlueSortColumn* sort = out_.table.add_sort_columns();
      sort->set_column(name);
      if (c_.AcceptKeyword("DESC")) {
        sort->set_descending(true);
      } else {
        c_.AcceptKeyword("ASC");
      }
    } while (c_.AcceptSymbol(","));
    return c_.ExpectSymbol(")", "ASC, DESC, ',' and another column, or ')'");
  }

  Status RowFormat() {
    c_.Next();
    STRATA_RETURN_IF_ERROR(c_.ExpectKeyword("FORMAT", "FORMAT (ROW FORMAT)"));
    if (c_.AcceptKeyword("SERDE")) {
      STRATA_ASSIGN_OR_RETURN(Located serde, StringValue("the SerDe class, a string"));
      if (serde.value.empty()) return c_.ErrorAt(serde.at, "the SerDe class name is empty");
      serde_ = serde.value;
      if (c_.IsKeyword("WITH") && c_.IsKeyword("SERDEPROPERTIES", 1)) {
        serde_properties_at_ = c_.Peek().position;
        c_.Next();
        c_.Next();
        return Properties("WITH SERDEPROPERTIES", &serde_properties_);
      }
      return Status::Ok();
    }
    if (c_.AcceptKeyword("DELIMITED")) return Delimited();
    return c_.Unexpected(c_.Peek(), "SERDE 'class' or DELIMITED");
  }

  // One delimiter literal of ROW FORMAT DELIMITED.
  Result<std::string> Delimiter(std::string_view what) {
    STRATA_ASSIGN_OR_RETURN(Located d, StringValue(fmt::format("the {}, a string", what)));
    if (d.value.empty()) return c_.ErrorAt(d.at, fmt::format("the {} is empty", what));
    return d.value;
  }

  Status Terminated(std::string_view what, std::optional<std::string>* out) {
    STRATA_RETURN_IF_ERROR(c_.ExpectKeyword("TERMINATED", "TERMINATED BY"));
    STRATA_RETURN_IF_ERROR(c_.ExpectKeyword("BY", "BY (TERMINATED BY)"));
    STRATA_ASSIGN_OR_RETURN(std::string d, Delimiter(what));
    *out = std::move(d);
    return Status::Ok();
  }

  // Its parts in Hive's order, each optional: FIELDS … [ESCAPED BY], COLLECTION ITEMS …, MAP
  // KEYS …, LINES …, NULL DEFINED AS.
  Status Delimited() {
    DelimitedRowFormat& row = delimited_.emplace();
    if (c_.AcceptKeyword("FIELDS")) {
      STRATA_RETURN_IF_ERROR(Terminated("field delimiter", &row.fields));
      if (c_.AcceptKeyword("ESCAPED")) {
        STRATA_RETURN_IF_ERROR(c_.ExpectKeyword("BY", "BY (ESCAPED BY)"));
        STRATA_ASSIGN_OR_RETURN(std::string e, Delimiter("escape character"));
        row.escape = std::move(e);
      }
    }
    if (c_.AcceptKeyword("COLLECTION")) {
      STRATA_RETURN_IF_ERROR(c_.ExpectKeyword("ITEMS", "ITEMS (COLLECTION ITEMS TERMINATED BY)"));
      STRATA_RETURN_IF_ERROR(Terminated("collection item delimiter", &row.collection_items));
    }
    if (c_.AcceptKeyword("MAP")) {
      STRATA_RETURN_IF_ERROR(c_.ExpectKeyword("KEYS", "KEYS (MAP KEYS TERMINATED BY)"));
      STRATA_RETURN_IF_ERROR(Terminated("map key delimiter", &row.map_keys));
    }
    if (c_.IsKeyword("LINES")) {
      const Token& at = c_.Next();
      STRATA_RETURN_IF_ERROR(Terminated("line delimiter", &row.lines));
      if (*row.lines != "\n") {
        return c_.ErrorAt(at, "LINES TERMINATED BY supports only '\\n' (Hive's text files are "
                              "split at newlines)");
      }
    }
    if (c_.AcceptKeyword("NULL")) {
      STRATA_RETURN_IF_ERROR(c_.ExpectKeyword("DEFINED", "DEFINED AS (NULL DEFINED AS)"));
      STRATA_RETURN_IF_ERROR(c_.ExpectKeyword("AS", "AS (NULL DEFINED AS)"));
      STRATA_ASSIGN_OR_RETURN(Located null_format, StringValue("the NULL text, a string"));
      row.null_format = null_format.value;
    }
    for (std::string_view part : {"FIELDS", "COLLECTION", "MAP", "LINES", "NULL"}) {
      if (c_.IsKeyword(part)) {
        return c_.ErrorAt(c_.Peek(), fmt::format("{} is out of order or given twice: ROW FORMAT "
                                                 "DELIMITED takes FIELDS, COLLECTION ITEMS, MAP "
                                                 "KEYS, LINES and NULL DEFINED AS in that order",
                                                 part));
      }
    }
    return Status::Ok();
  }

  Status StoredAs() {
    c_.Next();
    if (c_.IsKeyword("BY")) {
      return c_.ErrorAt(c_.Peek(), "STORED BY (Hive storage handlers) is not supported by Athena; "
                                   "use STORED AS");
    }
    STRATA_RETURN_IF_ERROR(c_.ExpectKeyword("AS", "AS (STORED AS)"));
    if (c_.AcceptKeyword("INPUTFORMAT")) {
      STRATA_ASSIGN_OR_RETURN(Located in, StringValue("the input format class, a string"));
      STRATA_RETURN_IF_ERROR(c_.ExpectKeyword(
          "OUTPUTFORMAT", "OUTPUTFORMAT and the output format class (Hive needs both)"));
      STRATA_ASSIGN_OR_RETURN(Located out, StringValue("the output format class, a string"));
      if (in.value.empty()) return c_.ErrorAt(in.at, "the input format class name is empty");
      if (out.value.empty()) return c_.ErrorAt(out.at, "the output format class name is empty");
      input_format_ = in.value;
      output_format_ = std::string(SubstituteOutputFormat(out.value));
      return Status::Ok();
    }
    const Token& name = c_.Peek();
    if (name.kind == TokenKind::kWord) {
      if (const StorageFormat* format = FindStorageFormat(name.text)) {
        c_.Next();
        stored_as_ = format;
        input_format_ = std::string(format->input_format);
        output_format_ = std::string(format->output_format);
        return Status::Ok();
      }
      if (Lower(name.text) == "jsonfile" || Lower(name.text) == "json") {
        return c_.ErrorAt(name, "STORED AS JSONFILE is not supported by Athena; write ROW FORMAT "
                                "SERDE 'org.openx.data.jsonserde.JsonSerDe' (or "
                                "'org.apache.hive.hcatalog.data.JsonSerDe')");
      }
    }
    std::string expected = "a storage format (";
    std::vector<std::string_view> names;
    for (const auto& format : StorageFormats()) {
      expected += std::string(format.name) + ", ";
      names.push_back(format.name);
    }
    expected += "or INPUTFORMAT '…' OUTPUTFORMAT '…')";
    if (name.kind == TokenKind::kWord) {
      std::string_view hint = ClosestWord(name.text, names);
      if (!hint.empty()) expected += fmt::format(" (did you mean {}?)", hint);
    }
    return c_.Unexpected(name, expected);
  }

  // Athena's WITH SERDEPROPERTIES after STORED AS, for the SerDe of ROW FORMAT or the default.
  Status WithSerdeProperties() {
    const Token& with = c_.Next();
    if (!c_.IsKeyword("SERDEPROPERTIES")) {
      return c_.Unexpected(c_.Peek(), "SERDEPROPERTIES (WITH SERDEPROPERTIES)");
    }
    c_.Next();
    if (serde_properties_at_) {
      return c_.ErrorAt(with, fmt::format("WITH SERDEPROPERTIES is given twice (first at line "
                                          "{}, column {})",
                                          serde_properties_at_->line,
                                          serde_properties_at_->column));
    }
    serde_properties_at_ = with.position;
    return Properties("WITH SERDEPROPERTIES", &serde_properties_);
  }

  // A property value: a string, or a number (stored as its text, as Hive does).
  Result<std::string> PropertyValue() {
    if (c_.Peek().kind == TokenKind::kNumber) return c_.Next().text;
    STRATA_ASSIGN_OR_RETURN(Located value, StringValue("the property's value, a string"));
    return value.value;
  }

  // ( 'key' = 'value', … ): keys present and given once.
  Status Properties(std::string_view clause, std::vector<Property>* out) {
    STRATA_RETURN_IF_ERROR(c_.ExpectSymbol("(", fmt::format("'(' and the properties of {}", clause)));
    std::map<std::string, TextPosition> seen;
    while (true) {
      if (c_.IsSymbol(")")) {
        return c_.Unexpected(c_.Peek(), out->empty()
                                            ? "a property 'key'='value' (leave out an empty list)"
                                            : "a property 'key'='value' (remove the ',' after the "
                                              "last property)");
      }
      STRATA_ASSIGN_OR_RETURN(Located key, StringValue("a property key, a string ('key'='value')"));
      if (key.value.empty()) return c_.ErrorAt(key.at, "the property key is empty");
      auto [it, fresh] = seen.emplace(key.value, key.at);
      if (!fresh) {
        return c_.ErrorAt(key.at, fmt::format("property '{}' is given twice (first at line {}, "
                                              "column {})",
                                              key.value, it->second.line, it->second.column));
      }
      STRATA_RETURN_IF_ERROR(c_.ExpectSymbol("=", "'=' between the property's key and value"));
      STRATA_ASSIGN_OR_RETURN(std::string value, PropertyValue());
      out->push_back({key.value, std::move(value), key.at});
      if (c_.AcceptSymbol(")")) return Status::Ok();
      STRATA_RETURN_IF_ERROR(
          c_.ExpectSymbol(",", "',' and another property, or ')' to close the list"));
    }
  }

  Status End() {
    c_.AcceptSymbol(";");
    if (!c_.AtEnd()) {
      return c_.Unexpected(c_.Peek(), "the end of the file (a table file holds one statement)");
    }
    return Status::Ok();
  }

  // ---- the table as a whole ------------------------------------------------------------------

  // Data columns and partition columns share one namespace in Hive.
  Status CheckColumnNames() {
    std::map<std::string, TextPosition> first;
    for (size_t i = 0; i < columns_.size(); ++i) {
      auto [it, fresh] = first.emplace(columns_[i].name(), column_at_[i]);
      if (!fresh) {
        return c_.ErrorAt(column_at_[i], fmt::format("column {} is declared twice (first at line "
                                                     "{}, column {}; names are compared without "
                                                     "case)",
                                                     columns_[i].name(), it->second.line,
                                                     it->second.column));
      }
    }
    std::set<std::string> partitions;
    for (size_t i = 0; i < partitions_.size(); ++i) {
      const std::string& name = partitions_[i].name();
      if (auto it = first.find(name); it != first.end()) {
        return c_.ErrorAt(partition_at_[i], fmt::format("partition column {} repeats the data "
                                                        "column at line {}, column {}; a Hive "
                                                        "table's partition columns are not in "
                                                        "its column list",
                                                        name, it->second.line, it->second.column));
      }
      if (!partitions.insert(name).second) {
        return c_.ErrorAt(partition_at_[i],
                          fmt::format("partition column {} is declared twice", name));
      }
    }
    return Status::Ok();
  }

  Status AddTableProperties(pb::GlueTable* table) {
    for (const auto& p : table_properties_) {
      if (p.key == "comment" && table_comment_) {
        return c_.ErrorAt(p.at, fmt::format("the table comment is given twice, as COMMENT (line "
                                            "{}, column {}) and as this property",
                                            table_comment_->at.line, table_comment_->at.column));
      }
      (*table->mutable_parameters())[p.key] = p.value;
    }
    // Hive keeps the table comment as the "comment" parameter; SHOW CREATE TABLE reads it there.
    if (table_comment_) (*table->mutable_parameters())["comment"] = table_comment_->value;
    return Status::Ok();
  }

  // Hive's order: serialization.format=1 on every table, then what DELIMITED stands for, then
  // SERDEPROPERTIES, each overriding what came before.
  void SetSerDe(pb::GlueTable* table) {
    pb::GlueSerDe* serde = table->mutable_serde();
    if (serde_) {
      serde->set_serialization_library(*serde_);
    } else if (stored_as_ != nullptr) {
      serde->set_serialization_library(std::string(stored_as_->serde));
    } else {
      serde->set_serialization_library(std::string(kLazySimpleSerDe));
    }
    auto& params = *serde->mutable_parameters();
    params[std::string(kSerializationFormat)] = std::string(kDefaultSerializationFormat);
    if (delimited_) AddDelimitedParameters(*delimited_, &params);
    for (const auto& p : serde_properties_) params[p.key] = p.value;
  }

  Result<ParsedTable> Assemble() {
    STRATA_RETURN_IF_ERROR(CheckColumnNames());
    pb::GlueTable& table = out_.table;
    for (auto& column : columns_) *table.add_columns() = std::move(column);
    for (auto& column : partitions_) *table.add_partition_keys() = std::move(column);
    table.set_table_type("EXTERNAL_TABLE");
    table.set_location(location_);
    if (input_format_.empty()) {
      const StorageFormat* text = FindStorageFormat("TEXTFILE");
      input_format_ = std::string(text->input_format);
      output_format_ = std::string(text->output_format);
    }
    table.set_input_format(input_format_);
    table.set_output_format(output_format_);
    SetSerDe(&table);
    STRATA_RETURN_IF_ERROR(AddTableProperties(&table));
    CanonicalizeGlueTable(&table);
    return std::move(out_);
  }

  TokenCursor c_;
  ParsedTable out_;
  std::vector<pb::GlueColumn> columns_, partitions_;
  std::vector<TextPosition> column_at_, partition_at_;
  std::optional<Located> table_comment_;
  std::optional<std::string> serde_;
  std::optional<DelimitedRowFormat> delimited_;
  std::optional<TextPosition> serde_properties_at_;
  std::vector<Property> serde_properties_;
  const StorageFormat* stored_as_ = nullptr;
  std::string input_format_, output_format_, location_;
  std::vector<Property> table_properties_;
};

}  // namespace

Result<ParsedTable> ParseCreateTable(std::string_view text, std::string_view file) {
  STRATA_ASSIGN_OR_RETURN(std::vector<Token> tokens, Lex(text, file));
  return StatementParser(tokens, file).Parse();
}

}  // namespace strata::glue
