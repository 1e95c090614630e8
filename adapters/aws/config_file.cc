#include "adapters/aws/config_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace strata::aws {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

struct Parser {
  std::string_view path;
  ConfigFileKind kind = ConfigFileKind::kConfig;
  ConfigFile file;
  ConfigSection* section = nullptr;  // null before the first header, or in an ignored section
  bool in_ignored_section = false;
  std::string last_key;              // the last top-level key, for nested blocks
  int line_number = 0;

  Status Error(std::string_view what) const {
    return Status::InvalidArgument(std::string(path) + ":" + std::to_string(line_number) + ": " +
                                   std::string(what));
  }

  Status Header(std::string_view line) {
    if (line.back() != ']') return Error("a section header must end with ']'");
    std::string_view name = Trim(line.substr(1, line.size() - 2));
    if (name.empty()) return Error("empty section name");
    std::map<std::string, ConfigSection>* into = &file.profiles;
    if (kind == ConfigFileKind::kConfig) {
      if (name.starts_with("profile ") || name.starts_with("profile\t")) {
        name = Trim(name.substr(8));
      } else if (name.starts_with("services ")) {
        name = Trim(name.substr(9));
        into = &file.services;
      } else if (name != "default") {
        into = nullptr;  // sso-session and sections of other tools: not ours to judge
      }
    }
    last_key.clear();
    in_ignored_section = into == nullptr;
    if (into == nullptr) {
      section = nullptr;
      return Status::Ok();
    }
    section = &(*into)[std::string(name)];
    section->where = std::string(path) + ":" + std::to_string(line_number);
    return Status::Ok();
  }

  Status Setting(std::string_view raw, bool indented) {
    size_t eq = raw.find('=');
    if (eq == std::string_view::npos) {
      return Error("expected 'key = value', '[section]' or a comment");
    }
    std::string key(Trim(raw.substr(0, eq)));
    std::string value(Trim(raw.substr(eq + 1)));
    if (key.empty()) return Error("a setting without a name before '='");
    if (in_ignored_section) return Status::Ok();
    if (section == nullptr) return Error("a setting before the first [section] header");
    if (indented && !last_key.empty() && section->values[last_key].empty()) {
      section->nested[last_key][key] = value;
      return Status::Ok();
    }
    if (indented) return Error("an indented setting that belongs to no 'name =' block");
    section->values[key] = value;
    last_key = key;
    return Status::Ok();
  }

  Status Line(std::string_view raw) {
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') return Status::Ok();
    if (line.front() == '[') return Header(line);
    bool indented = raw.front() == ' ' || raw.front() == '\t';
    return Setting(line, indented);
  }
};

}  // namespace

Result<ConfigFile> ParseConfigFile(std::string_view text, std::string_view path,
                                   ConfigFileKind kind) {
  Parser parser;
  parser.path = path;
  parser.kind = kind;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++parser.line_number;
    STRATA_RETURN_IF_ERROR(parser.Line(text.substr(start, end - start)));
    start = end + 1;
  }
  return std::move(parser.file);
}

ReadFile RealFileReader() {
  return [](const std::string& path) -> Result<std::optional<std::string>> {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::error_code ec;
      if (!std::filesystem::exists(path, ec)) return std::optional<std::string>();
      return Status::IoError("cannot read " + path);
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return std::optional<std::string>(buffer.str());
  };
}

bool SharedConfig::HasProfile(std::string_view profile) const {
  std::string name(profile);
  return config.profiles.count(name) > 0 || credentials.profiles.count(name) > 0;
}

std::optional<std::string> SharedConfig::Get(std::string_view profile,
                                             std::string_view key) const {
  for (const ConfigFile* file : {&credentials, &config}) {
    auto p = file->profiles.find(std::string(profile));
    if (p == file->profiles.end()) continue;
    auto v = p->second.values.find(std::string(key));
    if (v != p->second.values.end()) return v->second;
  }
  return std::nullopt;
}

std::string SharedConfig::Where(std::string_view profile) const {
  for (const ConfigFile* file : {&credentials, &config}) {
    auto p = file->profiles.find(std::string(profile));
    if (p != file->profiles.end()) return p->second.where;
  }
  return "";
}

Result<SharedConfig> LoadSharedConfig(const ReadFile& read, const std::string& config_path,
                                      const std::string& credentials_path) {
  SharedConfig shared;
  shared.config_path = config_path;
  shared.credentials_path = credentials_path;
  STRATA_ASSIGN_OR_RETURN(std::optional<std::string> config_text, read(config_path));
  if (config_text) {
    STRATA_ASSIGN_OR_RETURN(shared.config,
                            ParseConfigFile(*config_text, config_path, ConfigFileKind::kConfig));
  }
  STRATA_ASSIGN_OR_RETURN(std::optional<std::string> credentials_text, read(credentials_path));
  if (credentials_text) {
    STRATA_ASSIGN_OR_RETURN(shared.credentials,
                            ParseConfigFile(*credentials_text, credentials_path,
                                            ConfigFileKind::kCredentials));
  }
  return shared;
}

}  // namespace strata::aws
