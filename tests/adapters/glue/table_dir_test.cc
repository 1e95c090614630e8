// The Glue table directory: every bad file of a run is named, under the directory as the
// project shows it, with where to move or what to rename.
#include "adapters/glue/table_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/engine/testing/temp_dir.h"

namespace strata::glue {
namespace {

namespace fs = std::filesystem;
using strata::testing::TempDir;

constexpr char kOrders[] = "CREATE EXTERNAL TABLE orders (id bigint) LOCATION 's3://b/o/';\n";

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

TEST(GlueTableDirTest, EveryBadFileIsNamedUnderTheShownDirectory) {
  TempDir tmp;
  const fs::path dir = fs::path(tmp.path()) / "schema" / "athena";
  Write(dir / "sales" / "orders.sql", kOrders);
  Write(dir / "sales" / "renamed.sql", kOrders);                 // file and table differ
  Write(dir / "sales" / "nested" / "deep.sql", kOrders);         // one level too deep
  Write(dir / "other" / "orders.sql",
        "CREATE EXTERNAL TABLE sales.orders (id bigint) LOCATION 's3://b/o/';\n");  // wrong db
  Result<pb::GlueSchema> loaded = LoadTableDir(dir, "schema/athena");
  ASSERT_FALSE(loaded.ok());
  const std::string& m = loaded.status().message();
  EXPECT_NE(m.find("schema/athena/sales/renamed.sql:1:"), std::string::npos) << m;
  EXPECT_NE(m.find("rename the file to orders.sql"), std::string::npos) << m;
  EXPECT_NE(m.find("schema/athena/sales/nested/deep.sql: table files go directly in their "
                   "database's directory: move it to schema/athena/sales/deep.sql"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("schema/athena/other/orders.sql:1:"), std::string::npos) << m;
  EXPECT_NE(m.find("move it to schema/athena/sales/orders.sql"), std::string::npos) << m;
  // Nothing names the absolute directory.
  EXPECT_EQ(m.find(dir.string()), std::string::npos) << m;

  // Without a shown directory, the directory itself.
  Result<pb::GlueSchema> absolute = LoadTableDir(dir);
  ASSERT_FALSE(absolute.ok());
  EXPECT_NE(absolute.status().message().find((dir / "sales" / "renamed.sql").string() + ":1:"),
            std::string::npos)
      << absolute.status().message();
}

}  // namespace
}  // namespace strata::glue
