#include <gtest/gtest.h>

#include <fcntl.h>

#include <filesystem>

#include "engine/log/env.h"
#include "tests/engine/log/log_test_util.h"

namespace strata {
namespace {

using log_test::TempDir;

TEST(EnvTest, AppendSyncReadAndSize) {
  TempDir dir;
  auto env = NewPosixEnv();
  const std::string path = dir.path() + "/f";
  {
    auto f = env->OpenAppendable(path);
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    ASSERT_TRUE((*f)->Append("hello ").ok());
    ASSERT_TRUE((*f)->Append(std::string(100000, 'x')).ok());
    ASSERT_TRUE((*f)->Sync().ok());
    ASSERT_TRUE((*f)->Close().ok());
    EXPECT_EQ((*f)->Append("late").code(), Code::kFailedPrecondition);
  }
  {
    auto f = env->OpenAppendable(path);  // appends after what is there
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Append("!").ok());
  }
  auto r = env->OpenReadable(path);
  ASSERT_TRUE(r.ok());
  auto size = (*r)->Size();
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, 100007u);
  std::string out;
  ASSERT_TRUE((*r)->Read(0, 5, &out).ok());
  EXPECT_EQ(out, "hello");
  ASSERT_TRUE((*r)->Read(100000, 100, &out).ok());
  EXPECT_EQ(out, "xxxxxx!") << "short at the end of the file";
  ASSERT_TRUE((*r)->Read(200000, 10, &out).ok());
  EXPECT_EQ(out, "");
  auto whole = env->ReadFile(path);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->size(), 100007u);
  EXPECT_EQ(env->FileSize(path).value(), 100007u);
}

TEST(EnvTest, MissingFilesAreNotFoundNamingThePath) {
  TempDir dir;
  auto env = NewPosixEnv();
  const std::string path = dir.path() + "/missing";
  auto r = env->OpenReadable(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_EQ(r.status().message(), "opening " + path + ": No such file or directory");
  EXPECT_EQ(env->ReadFile(path).status().code(), Code::kNotFound);
  EXPECT_EQ(env->FileSize(path).status().code(), Code::kNotFound);
  EXPECT_EQ(env->RemoveFile(path).code(), Code::kNotFound);
  EXPECT_FALSE(env->Exists(path));
  auto list = env->ListDir(path);
  EXPECT_EQ(list.status().code(), Code::kNotFound);
  EXPECT_EQ(list.status().message(), "listing " + path + ": No such file or directory");
}

TEST(EnvTest, WriteFileAtomicReplacesWholeAndLeavesNoTemporary) {
  TempDir dir;
  auto env = NewPosixEnv();
  const std::string path = dir.path() + "/HEAD";
  ASSERT_TRUE(env->WriteFileAtomic(path, "first version, longer").ok());
  ASSERT_TRUE(env->WriteFileAtomic(path, "second").ok());
  EXPECT_EQ(env->ReadFile(path).value(), "second");
  auto names = env->ListDir(dir.path());
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, std::vector<std::string>{"HEAD"});
}

TEST(EnvTest, ListDirIsSortedAndCreateDirsIsIdempotent) {
  TempDir dir;
  auto env = NewPosixEnv();
  const std::string d = dir.path() + "/a/b/c";
  ASSERT_TRUE(env->CreateDirs(d).ok());
  ASSERT_TRUE(env->CreateDirs(d).ok());
  for (const char* n : {"000010.log", "000002.log", "LOCK", "000001.log"}) {
    ASSERT_TRUE(env->WriteFileAtomic(d + "/" + n, "").ok());
  }
  auto names = env->ListDir(d);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"000001.log", "000002.log", "000010.log", "LOCK"}));
  ASSERT_TRUE(env->SyncDir(d).ok());
  ASSERT_TRUE(env->RemoveFile(d + "/LOCK").ok());
  EXPECT_FALSE(env->Exists(d + "/LOCK"));
}

TEST(EnvTest, TruncateCutsBack) {
  TempDir dir;
  auto env = NewPosixEnv();
  const std::string path = dir.path() + "/f";
  ASSERT_TRUE(env->WriteFileAtomic(path, "0123456789").ok());
  ASSERT_TRUE(env->Truncate(path, 4).ok());
  EXPECT_EQ(env->ReadFile(path).value(), "0123");
}

TEST(EnvTest, LockConflictsEvenWithinOneProcessAndIsReleased) {
  TempDir dir;
  auto env = NewPosixEnv();
  const std::string path = dir.path() + "/LOCK";
  auto first = env->LockFile(path);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  // flock belongs to the open file description: a second open of the same file conflicts.
  auto second = env->LockFile(path);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(second.status().message(), path + " is locked by another holder");
  first->reset();
  auto third = env->LockFile(path);
  EXPECT_TRUE(third.ok()) << third.status().ToString();
}

TEST(EnvTest, FilesAreClosedOnExec) {
  TempDir dir;
  auto env = NewPosixEnv();
  auto f = env->OpenAppendable(dir.path() + "/f");
  ASSERT_TRUE(f.ok());
  // Every descriptor this process opened for the file carries FD_CLOEXEC.
  int checked = 0;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    auto target = std::filesystem::read_symlink(e.path(), ec);
    if (ec || target != std::filesystem::path(dir.path() + "/f")) continue;
    const int fd = std::stoi(e.path().filename().string());
    EXPECT_NE(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
    ++checked;
  }
  EXPECT_EQ(checked, 1);
}

}  // namespace
}  // namespace strata
