// The shared AWS configuration files: ~/.aws/config ("[profile NAME]", "[default]",
// "[services NAME]" sections) and ~/.aws/credentials ("[NAME]" sections), in the INI dialect the
// AWS CLI reads: "key = value" lines, '#' and ';' comment lines, and nested settings written as
// "dynamodb =" followed by indented "key = value" lines.
//
// Parsing is pure; files come in through a ReadFile function. Values are kept as text.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace strata::aws {

struct ConfigSection {
  std::map<std::string, std::string> values;
  // "dynamodb =" blocks: the block's name to its indented settings.
  std::map<std::string, std::map<std::string, std::string>> nested;
  std::string where;  // "PATH:LINE" of the section header, for messages
};

struct ConfigFile {
  std::map<std::string, ConfigSection> profiles;  // by profile name ("default", "dev")
  std::map<std::string, ConfigSection> services;  // "[services NAME]" sections, config file only
};

enum class ConfigFileKind { kConfig, kCredentials };

// Parses one file's text. InvalidArgument "PATH:LINE: ..." for a line that is neither a section
// header, a comment, "key = value" nor an indented nested setting (the line itself is not
// quoted: it may hold a secret).
Result<ConfigFile> ParseConfigFile(std::string_view text, std::string_view path,
                                   ConfigFileKind kind);

// The contents of `path`; nullopt when it does not exist; IoError when it cannot be read.
using ReadFile = std::function<Result<std::optional<std::string>>(const std::string& path)>;
// Reads real files.
ReadFile RealFileReader();

// Both files of one user, with the lookup rules the AWS CLI uses.
struct SharedConfig {
  ConfigFile config;
  ConfigFile credentials;
  std::string config_path;
  std::string credentials_path;

  bool HasProfile(std::string_view profile) const;
  // A profile setting; the credentials file wins over the config file.
  std::optional<std::string> Get(std::string_view profile, std::string_view key) const;
  // Where a profile is defined ("PATH:LINE"), for messages; empty when nowhere.
  std::string Where(std::string_view profile) const;
};

// Reads and parses both files (either may be missing).
Result<SharedConfig> LoadSharedConfig(const ReadFile& read, const std::string& config_path,
                                      const std::string& credentials_path);

}  // namespace strata::aws
