#include "adapters/glue/ddl_unsupported.h"

#include <fmt/format.h>

namespace strata::glue {
namespace {

constexpr char kSupported[] =
    "strata manages Hive tables: one CREATE EXTERNAL TABLE statement per file";

// The 'table_type' property's value token in the rest of the statement, or null.
const Token* TableTypeValue(const TokenCursor& c) {
  for (size_t i = 0; c.Peek(i).kind != TokenKind::kEnd; ++i) {
    if (c.Peek(i).kind == TokenKind::kString && Lower(c.Peek(i).text) == "table_type" &&
        c.IsSymbol("=", i + 1) && c.Peek(i + 2).kind == TokenKind::kString) {
      return &c.Peek(i + 2);
    }
  }
  return nullptr;
}

// A top-level AS that is not STORED AS or NULL DEFINED AS, or a top-level WITH ( (Athena's CTAS
// properties), or null.
const Token* CtasKeyword(const TokenCursor& c) {
  int depth = 0;
  for (size_t i = 0; c.Peek(i).kind != TokenKind::kEnd; ++i) {
    if (c.IsSymbol("(", i)) ++depth;
    if (c.IsSymbol(")", i)) --depth;
    if (depth != 0) continue;
    const bool as = c.IsKeyword("AS", i) && !(i > 0 && (c.IsKeyword("STORED", i - 1) ||
                                                         c.IsKeyword("DEFINED", i - 1)));
    if (as || (c.IsKeyword("WITH", i) && c.IsSymbol("(", i + 1))) return &c.Peek(i);
  }
  return nullptr;
}

}  // namespace

Status RefuseOtherCreate(const TokenCursor& c) {
  const Token& at = c.Peek();
  const bool view = c.IsKeyword("VIEW") || (c.IsKeyword("OR") && c.IsKeyword("REPLACE", 1)) ||
                    c.IsKeyword("PROTECTED") || c.IsKeyword("MATERIALIZED");
  if (view) {
    return c.ErrorAt(at, fmt::format("views are not supported ({}); an Athena view is not a "
                                     "table file",
                                     kSupported));
  }
  if (c.IsKeyword("DATABASE") || c.IsKeyword("SCHEMA")) {
    return c.ErrorAt(at, "databases are not declared by statements: each directory of the "
                         "schema directory is a database, holding <table>.sql files");
  }
  if (c.IsKeyword("TEMPORARY") || c.IsKeyword("TEMP")) {
    return c.ErrorAt(at, fmt::format("temporary tables are not supported by Athena ({})",
                                     kSupported));
  }
  return Status::Ok();
}

Status RefuseUnsupportedTable(const TokenCursor& c, bool external, const Token& table_keyword) {
  if (const Token* type = TableTypeValue(c)) {
    const std::string kind = Lower(type->text);
    if (kind == "iceberg") {
      return c.ErrorAt(*type, fmt::format("Iceberg tables are not supported: their schema lives "
                                          "in Iceberg metadata, which strata does not manage "
                                          "yet ({})",
                                          kSupported));
    }
    if (kind == "delta") {
      return c.ErrorAt(*type, fmt::format("Delta Lake tables are not supported: their schema "
                                          "lives in the Delta log, which strata does not manage "
                                          "({})",
                                          kSupported));
    }
  }
  if (const Token* ctas = CtasKeyword(c)) {
    return c.ErrorAt(*ctas, fmt::format("CREATE TABLE … AS SELECT (CTAS) is not supported: it "
                                        "makes a table from a query; declare the columns "
                                        "instead ({})",
                                        kSupported));
  }
  if (!external) {
    return c.ErrorAt(table_keyword,
                     "CREATE TABLE without EXTERNAL makes an Iceberg table in Athena, which "
                     "strata does not manage; write CREATE EXTERNAL TABLE for a Hive table");
  }
  return Status::Ok();
}

}  // namespace strata::glue
