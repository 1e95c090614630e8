#include "adapters/postgres/describe_identity.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

namespace strata::postgres {
namespace {

std::string Text(const std::string& change) {
  pb::PostgresChange c;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(change, &c)) << change;
  auto t = DescribeIdentityChange(c);
  return t ? std::string(1, t->sign) + " " + t->text : "(none)";
}

TEST(DescribeIdentity, RenamesPartitionsDefinitionsAndFallbackObjectsReadAsWhatHappened) {
  EXPECT_EQ(Text(R"pb(rename { target { kind: PG_OBJECT_COLUMN schema: "public" name: "film"
                       sub: "title" } new_name: "name" })pb"),
            "~ rename column title to name");
  EXPECT_EQ(Text(R"pb(rename { target { kind: PG_OBJECT_TABLE schema: "public" name: "film" }
                       new_name: "movie" })pb"),
            "~ rename table to movie");
  EXPECT_EQ(Text(R"pb(set_partition { schema: "public" table: "p1" partition_of {
                       parent: "public.p" bound: "FOR VALUES IN (1)" } })pb"),
            "~ attach partition of public.p FOR VALUES IN (1)");
  EXPECT_EQ(Text(R"pb(set_partition { schema: "public" table: "p1" })pb"), "~ detach partition");
  EXPECT_EQ(Text(R"pb(set_definition { target { kind: PG_OBJECT_INDEX schema: "public"
                       name: "movie" sub: "i" } definition: "CREATE INDEX i ON public.movie (name)" })pb"),
            "~ index i definition now CREATE INDEX i ON public.movie (name)");
  EXPECT_EQ(Text(R"pb(create_other { object { kind: "operator" name: "===" definition: "x" } })pb"),
            "+ create operator (kept as its definition)");
  EXPECT_EQ(Text(R"pb(drop_other { kind: "operator" name: "===" })pb"), "- drop operator");
  EXPECT_EQ(Text(R"pb(drop_table { schema: "public" table: "t" })pb"), "(none)");
}

}  // namespace
}  // namespace strata::postgres
