#include "adapters/glue/ddl_types.h"

#include <gtest/gtest.h>

#include <string>

namespace strata::glue {
namespace {

std::string Normalized(std::string_view text) {
  Result<std::string> type = NormalizeHiveType(text);
  EXPECT_TRUE(type.ok()) << text << ": " << type.status().ToString();
  return type.ok() ? *type : "<error>";
}

std::string Error(std::string_view text) {
  Result<std::string> type = NormalizeHiveType(text);
  EXPECT_FALSE(type.ok()) << text << " gave " << (type.ok() ? *type : "");
  return type.status().message();
}

TEST(HiveTypes, PrimitivesAreStoredLowerCaseWithDdlSpellings) {
  EXPECT_EQ(Normalized("BOOLEAN"), "boolean");
  EXPECT_EQ(Normalized("TinyInt"), "tinyint");
  EXPECT_EQ(Normalized("smallint"), "smallint");
  EXPECT_EQ(Normalized("INT"), "int");
  EXPECT_EQ(Normalized("integer"), "int");  // the DML spelling
  EXPECT_EQ(Normalized("BIGINT"), "bigint");
  EXPECT_EQ(Normalized("float"), "float");
  EXPECT_EQ(Normalized("REAL"), "float");  // the DML spelling
  EXPECT_EQ(Normalized("double"), "double");
  EXPECT_EQ(Normalized("STRING"), "string");
  EXPECT_EQ(Normalized("binary"), "binary");
  EXPECT_EQ(Normalized("DATE"), "date");
  EXPECT_EQ(Normalized("timestamp"), "timestamp");
}

TEST(HiveTypes, ParameterizedTypesSpellOutTheirParameters) {
  EXPECT_EQ(Normalized("DECIMAL"), "decimal(10,0)");  // Hive's default precision and scale
  EXPECT_EQ(Normalized("decimal(5)"), "decimal(5,0)");
  EXPECT_EQ(Normalized("decimal ( 38 , 38 )"), "decimal(38,38)");
  EXPECT_EQ(Normalized("CHAR(1)"), "char(1)");
  EXPECT_EQ(Normalized("varchar( 65535 )"), "varchar(65535)");
}

TEST(HiveTypes, NestedTypesLoseSpacesAndFoldFieldNames) {
  EXPECT_EQ(Normalized("STRUCT<userName:STRING>"), "struct<username:string>");
  EXPECT_EQ(Normalized("struct < a : int , `B` : array < string > >"),
            "struct<a:int,b:array<string>>");
  EXPECT_EQ(Normalized("MAP<STRING, ARRAY<STRUCT<x:INTEGER, y:REAL>>>"),
            "map<string,array<struct<x:int,y:float>>>");
  EXPECT_EQ(Normalized("array<map<int,decimal(10,2)>>"), "array<map<int,decimal(10,2)>>");
  // Field names may be words that are type names or keywords elsewhere.
  EXPECT_EQ(Normalized("struct<type:string,date:date,end:int,_id:int,1st:int>"),
            "struct<type:string,date:date,end:int,_id:int,1st:int>");
}

TEST(HiveTypes, StructFieldCommentsAreReadAndDropped) {
  EXPECT_EQ(Normalized("struct<a:int COMMENT 'the a', b:string comment \"b\" 'more'>"),
            "struct<a:int,b:string>");
}

TEST(HiveTypes, ErrorsSayWhereAndWhat) {
  EXPECT_EQ(Error("strng"), "type:1:1: unknown type \"strng\" (did you mean string?)");
  EXPECT_EQ(Error("text"),
            "type:1:1: unknown type \"text\"; expected a type (boolean, tinyint, smallint, int, "
            "bigint, float, double, decimal(p,s), char(n), varchar(n), string, binary, date, "
            "timestamp, array<…>, map<…> or struct<…>)");
  EXPECT_EQ(Error("array<int"), "type:1:10: found the end of the file, expected '>' to close "
                                "array<…>");
  EXPECT_EQ(Error("array(int)"),
            "type:1:6: found '(', expected '<' and the element type: array<type>");
  EXPECT_EQ(Error("map<array<int>,string>"),
            "type:1:5: a map key must be a primitive type, not array<int>");
  EXPECT_EQ(Error("map<string>"),
            "type:1:11: found '>', expected ',' and the value type: map<key,value>");
  EXPECT_EQ(Error("struct<>"), "type:1:8: a struct needs at least one field: struct<name:type>");
  EXPECT_EQ(Error("struct<a int>"),
            "type:1:10: found \"int\", expected ':' between a struct field's name and type");
  EXPECT_EQ(Error("struct<a:int,A:string>"),
            "type:1:14: struct field a appears twice (names are compared without case)");
  EXPECT_EQ(Error("struct<`a-b`:int>"),
            "type:1:8: struct field name `a-b` cannot be stored in a Glue type; use only "
            "letters, digits and _");
  EXPECT_EQ(Error("struct<a:int;"),
            "type:1:13: found ';', expected ',' and another field, or '>' to close struct<…>");
  EXPECT_EQ(Error("decimal(39,2)"),
            "type:1:9: the decimal precision must be a whole number from 1 to 38, not 39");
  EXPECT_EQ(Error("decimal(5,6)"), "type:1:11: the decimal scale 6 is larger than its precision 5");
  EXPECT_EQ(Error("decimal(1.5)"),
            "type:1:9: the decimal precision must be a whole number from 1 to 38, not 1.5");
  EXPECT_EQ(Error("varchar"),
            "type:1:8: found the end of the file, expected '(' and the length of the varchar: "
            "varchar(n)");
  EXPECT_EQ(Error("char(256)"), "type:1:6: the char length must be a whole number from 1 to 255, "
                                "not 256");
  EXPECT_EQ(Error("varchar(99999999999999999999)"),
            "type:1:9: the varchar length must be a whole number from 1 to 65535, not "
            "99999999999999999999");
  EXPECT_EQ(Error("uniontype<int,string>"),
            "type:1:1: uniontype is not supported by Athena; use a struct");
  EXPECT_EQ(Error("int int"), "type:1:5: found \"int\", expected the end of the type");
}

TEST(HiveTypes, NestingIsBounded) {
  std::string deep;
  for (int i = 1; i < kMaxTypeDepth; ++i) deep += "array<";
  deep += "int" + std::string(kMaxTypeDepth - 1, '>');
  EXPECT_TRUE(NormalizeHiveType(deep).ok());  // exactly the limit
  const std::string deeper = "array<" + deep + ">";
  EXPECT_EQ(Error(deeper), "type:1:385: types may nest at most 64 levels deep");
  // Far past the limit, the recursion still stops there.
  std::string hostile;
  for (int i = 0; i < 100000; ++i) hostile += "array<";
  EXPECT_EQ(Error(hostile), "type:1:385: types may nest at most 64 levels deep");
}

TEST(HiveTypes, PrimitiveOrNot) {
  EXPECT_TRUE(IsPrimitiveType("decimal(10,2)"));
  EXPECT_TRUE(IsPrimitiveType("string"));
  EXPECT_FALSE(IsPrimitiveType("array<int>"));
  EXPECT_FALSE(IsPrimitiveType("map<int,int>"));
  EXPECT_FALSE(IsPrimitiveType("struct<a:int>"));
}

}  // namespace
}  // namespace strata::glue
