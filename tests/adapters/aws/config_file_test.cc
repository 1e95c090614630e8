#include "adapters/aws/config_file.h"

#include <gtest/gtest.h>

namespace strata::aws {
namespace {

constexpr char kConfig[] = R"(# comment
[default]
region = us-east-1

[profile dev]
region=eu-west-1
services = local
s3 =
  max_concurrent_requests = 10
; another comment
[services local]
dynamodb =
  endpoint_url = http://127.0.0.1:8000
glue =
  endpoint_url = http://127.0.0.1:5000

[sso-session corp]
sso_region = us-east-1
)";

TEST(ParseConfigFileTest, ProfilesServicesAndNestedBlocks) {
  auto file = ParseConfigFile(kConfig, "/home/u/.aws/config", ConfigFileKind::kConfig);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->profiles.size(), 2u);
  EXPECT_EQ(file->profiles["default"].values["region"], "us-east-1");
  EXPECT_EQ(file->profiles["dev"].values["region"], "eu-west-1");
  EXPECT_EQ(file->profiles["dev"].nested["s3"]["max_concurrent_requests"], "10");
  EXPECT_EQ(file->profiles["dev"].where, "/home/u/.aws/config:5");
  EXPECT_EQ(file->services["local"].nested["dynamodb"]["endpoint_url"], "http://127.0.0.1:8000");
  EXPECT_EQ(file->services["local"].nested["glue"]["endpoint_url"], "http://127.0.0.1:5000");
}

TEST(ParseConfigFileTest, CredentialsFileSectionsAreProfileNames) {
  auto file = ParseConfigFile("[dev]\naws_access_key_id = AK\n[profile x]\na = b\n", "creds",
                              ConfigFileKind::kCredentials);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->profiles["dev"].values["aws_access_key_id"], "AK");
  EXPECT_EQ(file->profiles.count("profile x"), 1u);
}

TEST(ParseConfigFileTest, BadLineNamesFileAndLineButNotTheLine) {
  auto file = ParseConfigFile("[default]\nregion = x\naws_secret_access_key wJalrSECRET\n",
                              "/h/.aws/credentials", ConfigFileKind::kCredentials);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(file.status().message().rfind("/h/.aws/credentials:3: ", 0), 0u)
      << file.status().message();
  EXPECT_EQ(file.status().message().find("wJalrSECRET"), std::string::npos);
}

TEST(ParseConfigFileTest, SettingBeforeAnySectionAndUnclosedHeaderAreErrors) {
  auto before = ParseConfigFile("region = x\n", "c", ConfigFileKind::kConfig);
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.status().message(), "c:1: a setting before the first [section] header");
  auto header = ParseConfigFile("\n[profile x\n", "c", ConfigFileKind::kConfig);
  ASSERT_FALSE(header.ok());
  EXPECT_EQ(header.status().message(), "c:2: a section header must end with ']'");
}

TEST(SharedConfigTest, CredentialsFileWinsAndWhereNamesIt) {
  SharedConfig shared;
  shared.config = *ParseConfigFile("[profile p]\nregion = r1\naws_access_key_id = FROMCONFIG\n",
                                   "cfg", ConfigFileKind::kConfig);
  shared.credentials = *ParseConfigFile("[p]\naws_access_key_id = FROMCREDS\n", "crd",
                                        ConfigFileKind::kCredentials);
  EXPECT_EQ(shared.Get("p", "aws_access_key_id"), "FROMCREDS");
  EXPECT_EQ(shared.Get("p", "region"), "r1");
  EXPECT_EQ(shared.Get("p", "nope"), std::nullopt);
  EXPECT_EQ(shared.Get("q", "region"), std::nullopt);
  EXPECT_EQ(shared.Where("p"), "crd:1");
  EXPECT_TRUE(shared.HasProfile("p"));
  EXPECT_FALSE(shared.HasProfile("q"));
}

TEST(LoadSharedConfigTest, MissingFilesAreEmptyAndBadOnesFail) {
  ReadFile none = [](const std::string&) -> Result<std::optional<std::string>> {
    return std::optional<std::string>();
  };
  auto empty = LoadSharedConfig(none, "a", "b");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->config.profiles.empty());
  ReadFile bad = [](const std::string& path) -> Result<std::optional<std::string>> {
    return std::optional<std::string>(path == "cfg" ? "[default]\n  = x\n" : "");
  };
  auto failed = LoadSharedConfig(bad, "cfg", "crd");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message().rfind("cfg:2: ", 0), 0u) << failed.status().message();
}

}  // namespace
}  // namespace strata::aws
