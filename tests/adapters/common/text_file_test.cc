#include "adapters/common/text_file.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "tests/engine/testing/temp_dir.h"

namespace strata::common {
namespace {

namespace fs = std::filesystem;

// A file's text, or what went wrong reading it.
std::string TextOf(const fs::path& path) {
  Result<std::string> text = ReadTextFile(path);
  return text.ok() ? *text : "(" + text.status().ToString() + ")";
}

// The names of the files in `dir`, sorted.
std::vector<std::string> Names(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(TextFileTest, ReadingAMissingFileIsNotFound) {
  testing::TempDir dir;
  Result<std::string> text = ReadTextFile(fs::path(dir.path()) / "nope.sql");
  EXPECT_EQ(text.status().code(), Code::kNotFound);
  EXPECT_EQ(text.status().message(), (fs::path(dir.path()) / "nope.sql").string() + ": no such file");
}

// Two generates may write snapshot.json at the same moment: each writes a temporary file of
// its own, so neither truncates the other's or renames it away (which made the other's rename
// fail with "No such file or directory"). A file beside it that is not this writer's is left
// as it is.
TEST(TextFileTest, WriteTextFileLeavesAnotherWritersTemporaryFileAlone) {
  testing::TempDir dir;
  const fs::path path = fs::path(dir.path()) / "snapshot.json";
  std::ofstream(path.string() + ".tmp") << "another writer's half";
  ASSERT_TRUE(WriteTextFile(path, "mine\n").ok());
  EXPECT_EQ(TextOf(path), "mine\n");
  EXPECT_EQ(TextOf(path.string() + ".tmp"), "another writer's half");
  EXPECT_EQ(Names(dir.path()), (std::vector<std::string>{"snapshot.json", "snapshot.json.tmp"}));
  ASSERT_TRUE(WriteTextFile(path, "again\n").ok());  // replaces
  EXPECT_EQ(TextOf(path), "again\n");
}

// An artifact file is created, never replaced: a generate that lost the race for a number
// learns it (AlreadyExists) and the winner's file is intact; nothing temporary is left behind.
TEST(TextFileTest, WriteNewTextFileNeverReplaces) {
  testing::TempDir dir;
  const fs::path path = fs::path(dir.path()) / "0003_changes.json";
  ASSERT_TRUE(WriteNewTextFile(path, "first\n").ok());
  Status second = WriteNewTextFile(path, "second\n");
  EXPECT_EQ(second.code(), Code::kAlreadyExists);
  EXPECT_EQ(second.message(), path.string() + " already exists");
  EXPECT_EQ(TextOf(path), "first\n");
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"0003_changes.json"});
  Status missing_dir = WriteNewTextFile(fs::path(dir.path()) / "nope" / "x.json", "x");
  EXPECT_EQ(missing_dir.code(), Code::kIoError);
}

}  // namespace
}  // namespace strata::common
