// What `strata list` shows of a PostgreSQL catalog: every top-level object, its kind, and
// whether the log manages it.
#include "adapters/postgres/list_view.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

namespace strata::postgres {
namespace {

pb::SchemaState Catalog() {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_POSTGRES);
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(namespaces { key: "audit" value { name: "audit" } }
           tables { key: "public.users" value { schema: "public" name: "users" } }
           views { key: "public.active" value { schema: "public" name: "active" } }
           views {
             key: "public.totals"
             value { schema: "public" name: "totals" materialized: true }
           }
           sequences { key: "public.seq" value { schema: "public" name: "seq" } }
           types { key: "public.mood" value { schema: "public" name: "mood" } }
           functions {
             key: "public.f(integer)"
             value { schema: "public" name: "f" identity_arguments: "integer" }
           }
           extensions { key: "citext" value { name: "citext" } })pb",
      s.mutable_postgres()));
  return s;
}

TEST(ObjectKindTest, NamesEachKindByTheMapThatHoldsIt) {
  const pb::PostgresSchema s = Catalog().postgres();
  EXPECT_EQ(ObjectKind(s, "audit"), "schema");
  EXPECT_EQ(ObjectKind(s, "public.users"), "table");
  EXPECT_EQ(ObjectKind(s, "public.active"), "view");
  EXPECT_EQ(ObjectKind(s, "public.totals"), "materialized view");
  EXPECT_EQ(ObjectKind(s, "public.seq"), "sequence");
  EXPECT_EQ(ObjectKind(s, "public.mood"), "type");
  EXPECT_EQ(ObjectKind(s, "public.f(integer)"), "function");
  EXPECT_EQ(ObjectKind(s, "ext:citext"), "extension");
  EXPECT_EQ(ObjectKind(s, "citext"), "object");  // extensions are named ext:NAME
  EXPECT_EQ(ObjectKind(s, "public.nope"), "object");
}

TEST(ListObjectsTest, RowsItemsAndTitleMarkWhatStrataManages) {
  backend::ListView v = ListObjects(Catalog(), {"public.users", "ext:citext"}, "target app");
  EXPECT_EQ(v.key, "objects");
  EXPECT_EQ(v.title, "target app: 8 objects, 2 managed by strata");
  ASSERT_EQ(v.items.size(), 8u);
  ASSERT_EQ(v.rows.size(), 9u);  // with the header
  EXPECT_EQ(v.rows[0][0].text, "OBJECT");
  nlohmann::ordered_json users;
  for (const auto& item : v.items) {
    if (item["name"] == "public.users") users = item;
  }
  EXPECT_EQ(users, nlohmann::ordered_json({{"name", "public.users"}, {"kind", "table"},
                                           {"managed", true}}));
  for (const auto& row : v.rows) {
    if (row[0].text == "public.mood") {
      EXPECT_EQ(row[2].text, "unmanaged");
    }
    if (row[0].text == "ext:citext") {
      EXPECT_EQ(row[2].text, "managed");
    }
  }
}

TEST(ListObjectsTest, AnEmptyDatabaseHasNoRowsAndSaysSo) {
  pb::SchemaState empty;
  empty.set_engine(pb::ENGINE_POSTGRES);
  empty.mutable_postgres();
  backend::ListView v = ListObjects(empty, {}, "127.0.0.1:5432/app");
  EXPECT_TRUE(v.items.empty());
  EXPECT_TRUE(v.rows.empty());
  EXPECT_EQ(v.empty_text, "No objects in 127.0.0.1:5432/app.");
}

}  // namespace
}  // namespace strata::postgres
