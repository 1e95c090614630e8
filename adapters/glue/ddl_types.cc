#include "adapters/glue/ddl_types.h"

#include <fmt/format.h>

#include <set>
#include <vector>

namespace strata::glue {
namespace {

constexpr char kExpectedType[] =
    "a type (boolean, tinyint, smallint, int, bigint, float, double, decimal(p,s), char(n), "
    "varchar(n), string, binary, date, timestamp, array<…>, map<…> or struct<…>)";

// Hive's defaults and limits (HiveDecimal, HiveChar, HiveVarchar).
constexpr int kDefaultPrecision = 10;
constexpr int kMaxPrecision = 38;
constexpr int kMaxCharLength = 255;
constexpr int kMaxVarcharLength = 65535;

// Spelling in DDL (upper case) -> stored name. integer and real are the DML names of int and
// float, which people paste from queries.
struct Primitive {
  std::string_view keyword;
  std::string_view stored;
};
constexpr Primitive kPrimitives[] = {
    {"BOOLEAN", "boolean"},   {"TINYINT", "tinyint"}, {"SMALLINT", "smallint"},
    {"INT", "int"},           {"INTEGER", "int"},     {"BIGINT", "bigint"},
    {"FLOAT", "float"},       {"REAL", "float"},      {"DOUBLE", "double"},
    {"STRING", "string"},     {"BINARY", "binary"},   {"DATE", "date"},
    {"TIMESTAMP", "timestamp"},
};

std::vector<std::string_view> TypeNames() {
  std::vector<std::string_view> names;
  for (const auto& p : kPrimitives) names.push_back(p.keyword);
  for (std::string_view n : {"DECIMAL", "CHAR", "VARCHAR", "ARRAY", "MAP", "STRUCT"}) {
    names.push_back(n);
  }
  return names;
}

bool IsFieldNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

class TypeReader {
 public:
  explicit TypeReader(TokenCursor* cursor) : c_(*cursor) {}

  Result<std::string> Type(int depth) {
    const Token& start = c_.Peek();
    if (depth > kMaxTypeDepth) {
      return c_.ErrorAt(start, fmt::format("types may nest at most {} levels deep", kMaxTypeDepth));
    }
    for (const auto& p : kPrimitives) {
      if (c_.AcceptKeyword(p.keyword)) return std::string(p.stored);
    }
    if (c_.AcceptKeyword("DECIMAL")) return Decimal();
    if (c_.AcceptKeyword("CHAR")) return Length("char", kMaxCharLength);
    if (c_.AcceptKeyword("VARCHAR")) return Length("varchar", kMaxVarcharLength);
    if (c_.AcceptKeyword("ARRAY")) return Array(depth);
    if (c_.AcceptKeyword("MAP")) return Map(depth);
    if (c_.AcceptKeyword("STRUCT")) return Struct(depth);
    return Unknown(start);
  }

 private:
  Status Unknown(const Token& token) {
    if (c_.IsKeyword("UNIONTYPE")) {
      return c_.ErrorAt(token, "uniontype is not supported by Athena; use a struct");
    }
    if (token.kind == TokenKind::kWord) {
      std::string_view hint = ClosestWord(token.text, TypeNames());
      if (!hint.empty()) {
        return c_.ErrorAt(token, fmt::format("unknown type \"{}\" (did you mean {}?)", token.text,
                                             Lower(hint)));
      }
      return c_.ErrorAt(token, fmt::format("unknown type \"{}\"; expected {}", token.text,
                                           kExpectedType));
    }
    return c_.Unexpected(token, kExpectedType);
  }

  // A whole number in [lo, hi] for `what`.
  Result<int> Number(std::string_view what, int lo, int hi) {
    const Token& token = c_.Peek();
    if (token.kind != TokenKind::kNumber) {
      return c_.Unexpected(token, fmt::format("the {} (a whole number)", what));
    }
    c_.Next();
    long long value = 0;
    for (char ch : token.text) {
      if (ch < '0' || ch > '9' || value > hi) {
        value = static_cast<long long>(hi) + 1;  // a decimal point, or too large already
        break;
      }
      value = value * 10 + (ch - '0');
    }
    if (value < lo || value > hi) {
      return c_.ErrorAt(token, fmt::format("the {} must be a whole number from {} to {}, not {}",
                                           what, lo, hi, token.text));
    }
    return static_cast<int>(value);
  }

  Result<std::string> Decimal() {
    if (!c_.AcceptSymbol("(")) return fmt::format("decimal({},0)", kDefaultPrecision);
    STRATA_ASSIGN_OR_RETURN(int precision, Number("decimal precision", 1, kMaxPrecision));
    int scale = 0;
    if (c_.AcceptSymbol(",")) {
      const Token& at = c_.Peek();
      STRATA_ASSIGN_OR_RETURN(scale, Number("decimal scale", 0, kMaxPrecision));
      if (scale > precision) {
        return c_.ErrorAt(at, fmt::format("the decimal scale {} is larger than its precision {}",
                                          scale, precision));
      }
    }
    STRATA_RETURN_IF_ERROR(c_.ExpectSymbol(")", "')' to close decimal(precision, scale)"));
    return fmt::format("decimal({},{})", precision, scale);
  }

  Result<std::string> Length(std::string_view name, int max) {
    STRATA_RETURN_IF_ERROR(
        c_.ExpectSymbol("(", fmt::format("'(' and the length of the {}: {}(n)", name, name)));
    STRATA_ASSIGN_OR_RETURN(int n, Number(fmt::format("{} length", name), 1, max));
    STRATA_RETURN_IF_ERROR(c_.ExpectSymbol(")", fmt::format("')' to close {}(n)", name)));
    return fmt::format("{}({})", name, n);
  }

  Result<std::string> Array(int depth) {
    STRATA_RETURN_IF_ERROR(c_.ExpectSymbol("<", "'<' and the element type: array<type>"));
    STRATA_ASSIGN_OR_RETURN(std::string element, Type(depth + 1));
    STRATA_RETURN_IF_ERROR(c_.ExpectSymbol(">", "'>' to close array<…>"));
    return "array<" + element + ">";
  }

  Result<std::string> Map(int depth) {
    STRATA_RETURN_IF_ERROR(c_.ExpectSymbol("<", "'<' and the key and value types: map<key,value>"));
    const Token& key_at = c_.Peek();
    STRATA_ASSIGN_OR_RETURN(std::string key, Type(depth + 1));
    if (!IsPrimitiveType(key)) {
      return c_.ErrorAt(key_at,
                        fmt::format("a map key must be a primitive type, not {}", key));
    }
    STRATA_RETURN_IF_ERROR(c_.ExpectSymbol(",", "',' and the value type: map<key,value>"));
    STRATA_ASSIGN_OR_RETURN(std::string value, Type(depth + 1));
    STRATA_RETURN_IF_ERROR(c_.ExpectSymbol(">", "'>' to close map<…>"));
    return "map<" + key + "," + value + ">";
  }

  // A field name as Glue's type text can hold it: lower case letters, digits and '_'.
  Result<std::string> FieldName() {
    const Token& token = c_.Peek();
    if (token.kind != TokenKind::kWord && token.kind != TokenKind::kName) {
      return c_.Unexpected(token, "a struct field name");
    }
    c_.Next();
    std::string name = Lower(token.text);
    bool plain = !name.empty();
    for (char ch : name) plain = plain && IsFieldNameChar(ch);
    if (!plain) {
      return c_.ErrorAt(token, fmt::format("struct field name `{}` cannot be stored in a Glue "
                                           "type; use only letters, digits and _",
                                           token.text));
    }
    return name;
  }

  Result<std::string> Struct(int depth) {
    STRATA_RETURN_IF_ERROR(c_.ExpectSymbol("<", "'<' and the fields: struct<name:type,…>"));
    if (c_.IsSymbol(">")) {
      return c_.ErrorAt(c_.Peek(), "a struct needs at least one field: struct<name:type>");
    }
    std::string out = "struct<";
    std::set<std::string> seen;
    do {
      const Token& name_at = c_.Peek();
      STRATA_ASSIGN_OR_RETURN(std::string name, FieldName());
      if (!seen.insert(name).second) {
        return c_.ErrorAt(name_at, fmt::format("struct field {} appears twice (names are "
                                               "compared without case)",
                                               name));
      }
      STRATA_RETURN_IF_ERROR(c_.ExpectSymbol(":", "':' between a struct field's name and type"));
      STRATA_ASSIGN_OR_RETURN(std::string type, Type(depth + 1));
      if (c_.AcceptKeyword("COMMENT")) STRATA_RETURN_IF_ERROR(FieldComment());
      if (seen.size() > 1) out += ",";
      out += name + ":" + type;
    } while (c_.AcceptSymbol(","));
    STRATA_RETURN_IF_ERROR(c_.ExpectSymbol(">", "',' and another field, or '>' to close struct<…>"));
    return out + ">";
  }

  // Read so that files may carry them, but dropped: see the header.
  Status FieldComment() {
    if (c_.Peek().kind != TokenKind::kString) {
      return c_.Unexpected(c_.Peek(), "the struct field's comment, a string");
    }
    while (c_.Peek().kind == TokenKind::kString) c_.Next();
    return Status::Ok();
  }

  TokenCursor& c_;
};

}  // namespace

bool IsPrimitiveType(std::string_view stored) {
  return !(stored.starts_with("array<") || stored.starts_with("map<") ||
           stored.starts_with("struct<"));
}

Result<std::string> ParseHiveType(TokenCursor* cursor) {
  const Token& start = cursor->Peek();
  STRATA_ASSIGN_OR_RETURN(std::string type, TypeReader(cursor).Type(1));
  if (type.size() > kMaxTypeChars) {
    return cursor->ErrorAt(start, fmt::format("the type is {} characters long; Glue stores at "
                                              "most {}",
                                              type.size(), kMaxTypeChars));
  }
  return type;
}

Result<std::string> NormalizeHiveType(std::string_view text) {
  STRATA_ASSIGN_OR_RETURN(std::vector<Token> tokens, Lex(text, "type"));
  TokenCursor cursor(tokens, "type");
  STRATA_ASSIGN_OR_RETURN(std::string type, ParseHiveType(&cursor));
  if (!cursor.AtEnd()) return cursor.Unexpected(cursor.Peek(), "the end of the type");
  return type;
}

}  // namespace strata::glue
