#include "engine/state/object_filter.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace strata {
namespace {

using Names = std::vector<std::string>;

ObjectFilter Filter(const Names& patterns) {
  auto f = ObjectFilter::Make(patterns);
  EXPECT_TRUE(f.ok()) << f.status().message();
  return f.ok() ? *f : ObjectFilter();
}

TEST(GlobMatchTest, WithoutAStarTheWholeNameMustBeEqual) {
  EXPECT_TRUE(GlobMatch("orders", "orders"));
  EXPECT_FALSE(GlobMatch("orders", "orders_v2"));
  EXPECT_FALSE(GlobMatch("orders", "my_orders"));
  EXPECT_FALSE(GlobMatch("orders", "order"));
  EXPECT_FALSE(GlobMatch("orders", ""));
}

TEST(GlobMatchTest, AStarIsAnyRunOfCharactersIncludingNone) {
  EXPECT_TRUE(GlobMatch("orders*", "orders"));
  EXPECT_TRUE(GlobMatch("orders*", "orders_v2"));
  EXPECT_TRUE(GlobMatch("*orders", "my_orders"));
  EXPECT_TRUE(GlobMatch("o*s", "orders"));
  EXPECT_TRUE(GlobMatch("o*d*s", "orders"));
  EXPECT_FALSE(GlobMatch("o*x", "orders"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("**", "anything"));
  // Backtracking: the first "ab" is not the one the pattern's tail needs.
  EXPECT_TRUE(GlobMatch("*ab*abc", "xabyababc"));
  EXPECT_FALSE(GlobMatch("*ab*abc", "xabyababd"));
}

TEST(GlobMatchTest, StarsMatchOnEitherSideOfTheDot) {
  EXPECT_TRUE(GlobMatch("sales.*", "sales.orders"));
  EXPECT_FALSE(GlobMatch("sales.*", "sales"));
  EXPECT_FALSE(GlobMatch("sales.*", "salesx.orders"));
  EXPECT_TRUE(GlobMatch("*.orders", "sales.orders"));
  EXPECT_TRUE(GlobMatch("*.orders", "logs.orders"));
  EXPECT_FALSE(GlobMatch("*.orders", "sales.orders_v2"));
  EXPECT_FALSE(GlobMatch("*.orders", "orders"));
  EXPECT_TRUE(GlobMatch("*", "sales.orders"));
  EXPECT_TRUE(GlobMatch("s*.o*", "sales.orders"));
}

TEST(GlobMatchTest, OtherCharactersStandForThemselvesCaseSensitively) {
  EXPECT_FALSE(GlobMatch("Orders", "orders"));
  EXPECT_FALSE(GlobMatch("sales.*", "Sales.orders"));
  EXPECT_FALSE(GlobMatch("?rders", "orders"));  // no other wildcard
  EXPECT_TRUE(GlobMatch("?rders", "?rders"));
  EXPECT_FALSE(GlobMatch("sales.orders", "salesXorders"));  // a dot is a dot
  EXPECT_TRUE(GlobMatch("[a]", "[a]"));
}

TEST(ObjectFilterTest, EmptyPatternsAreRefusedAndRepeatsCountOnce) {
  auto bad = ObjectFilter::Make({"orders", ""});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("empty filter pattern"), std::string::npos);
  EXPECT_EQ(Filter({"a*", "a*", "b"}).patterns(), (Names{"a*", "b"}));
}

TEST(ObjectFilterTest, NoPatternsSelectsEverything) {
  ObjectFilter all;
  EXPECT_TRUE(all.everything());
  EXPECT_TRUE(all.Matches("anything"));
  auto s = all.Select({"b", "a"}, pb::ENGINE_DYNAMODB);
  EXPECT_EQ(s.objects, (std::set<std::string>{"a", "b"}));
  EXPECT_TRUE(s.unmatched.empty());
}

TEST(ObjectFilterTest, SelectsWhatAnyPatternMatchesAndNamesPatternsThatMatchNothing) {
  ObjectFilter f = Filter({"orders*", "users", "nope*"});
  EXPECT_FALSE(f.everything());
  EXPECT_TRUE(f.Matches("orders_v2"));
  EXPECT_TRUE(f.Matches("users"));
  EXPECT_FALSE(f.Matches("users_old"));
  auto s = f.Select({"orders", "orders_v2", "users", "users_old", "carts"}, pb::ENGINE_DYNAMODB);
  EXPECT_EQ(s.objects, (std::set<std::string>{"orders", "orders_v2", "users"}));
  EXPECT_EQ(s.unmatched, Names{"nope*"});
}

TEST(ObjectFilterTest, AGlueTableBringsItsDatabase) {
  const Names names = {"logs", "logs.alb", "logs.cloudfront", "sales", "sales.orders"};
  auto tables = Filter({"*.alb"}).Select(names, pb::ENGINE_GLUE);
  EXPECT_EQ(tables.objects, (std::set<std::string>{"logs", "logs.alb"}));
  auto database = Filter({"sales.*"}).Select(names, pb::ENGINE_GLUE);
  EXPECT_EQ(database.objects, (std::set<std::string>{"sales", "sales.orders"}));
  // A database alone is just the database: its tables are chosen by sales.* or sales*.
  auto alone = Filter({"sales"}).Select(names, pb::ENGINE_GLUE);
  EXPECT_EQ(alone.objects, (std::set<std::string>{"sales"}));
  auto prefix = Filter({"sales*"}).Select(names, pb::ENGINE_GLUE);
  EXPECT_EQ(prefix.objects, (std::set<std::string>{"sales", "sales.orders"}));
  auto everything = Filter({"*"}).Select(names, pb::ENGINE_GLUE);
  EXPECT_EQ(everything.objects, std::set<std::string>(names.begin(), names.end()));
}

TEST(ObjectFilterTest, ADottedDynamoDbNameLivesInNothing) {
  // DynamoDB allows dots in table names; "app" is another table, not a container.
  auto s = Filter({"app.orders"}).Select({"app", "app.orders"}, pb::ENGINE_DYNAMODB);
  EXPECT_EQ(s.objects, std::set<std::string>{"app.orders"});
}

TEST(ObjectFilterTest, APostgresRelationBringsItsSchema) {
  auto s = Filter({"*.users"}).Select({"audit", "audit.users", "public", "public.users"},
                                      pb::ENGINE_POSTGRES);
  EXPECT_EQ(s.objects, (std::set<std::string>{"audit", "audit.users", "public", "public.users"}));
}

TEST(MatchesIgnoringCaseTest, FindsWhatOnlyCaseKeptFromMatching) {
  const Names names = {"sales.orders", "sales.users", "logs.alb"};
  EXPECT_EQ(MatchesIgnoringCase("Sales.*", names), (Names{"sales.orders", "sales.users"}));
  EXPECT_EQ(MatchesIgnoringCase("LOGS.ALB", names), Names{"logs.alb"});
  EXPECT_TRUE(MatchesIgnoringCase("web.*", names).empty());
}

}  // namespace
}  // namespace strata
