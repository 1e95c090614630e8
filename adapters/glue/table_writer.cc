#include "adapters/glue/table_writer.h"

#include <fmt/format.h>
#include <google/protobuf/util/message_differencer.h>

#include <map>

#include "adapters/common/text_file.h"
#include "adapters/glue/ddl.h"
#include "adapters/glue/table_dir.h"
#include "engine/state/canonical_glue_postgres.h"

namespace strata::glue {
namespace fs = std::filesystem;
using google::protobuf::util::MessageDifferencer;

namespace {

// What to do with table `t` of `database`, given the file at its path.
backend::WrittenFile Decide(const std::string& database, const pb::GlueTable& t,
                            const fs::path& path, bool force) {
  backend::WrittenFile w{database + "." + t.name(), path.string(), "written", ""};
  auto text = common::ReadTextFile(path);
  if (!text.ok() && text.status().code() == Code::kNotFound) return w;
  auto parsed = text.ok() ? ParseCreateTable(*text, path.string()) : Result<ParsedTable>(text.status());
  if (!text.ok()) {
    w.reason = "it cannot be read: " + text.status().message();
  } else if (!parsed.ok()) {
    w.reason = "it does not parse: " + parsed.status().message();
  } else if ((!parsed->database.empty() && parsed->database != database) ||
             parsed->table.name() != t.name()) {
    // An unqualified name is the table of the directory it is in (table_dir.h).
    w.reason = fmt::format("it defines table {}.{}",
                           parsed->database.empty() ? database : parsed->database,
                           parsed->table.name());
  } else {
    pb::GlueTable there = parsed->table;
    CanonicalizeGlueTable(&there);
    if (MessageDifferencer::Equals(there, t)) {
      w.action = "unchanged";
      return w;
    }
    w.reason = "it defines the table differently";
  }
  w.action = force ? "overwritten" : "differs";
  if (force) w.reason.clear();
  return w;
}

}  // namespace

Result<std::vector<backend::WrittenFile>> WriteTables(const pb::GlueSchema& schema,
                                                      const fs::path& dir,
                                                      const std::string& format, bool force) {
  if (!format.empty() && format != "sql") {
    return Status::InvalidArgument("--format must be sql for glue tables, not \"" + format + "\"");
  }
  // Sorted: protobuf maps have no order.
  std::map<std::string, std::map<std::string, const pb::GlueTable*>> sorted;
  for (const auto& [db, d] : schema.databases()) {
    for (const auto& [name, t] : d.tables()) sorted[db][name] = &t;
  }
  std::vector<backend::WrittenFile> written;
  for (const auto& [db, tables] : sorted) {
    for (const auto& [name, table] : tables) {
      pb::GlueTable t = *table;
      CanonicalizeGlueTable(&t);
      const fs::path path = TableFilePath(dir, db, t.name());
      backend::WrittenFile w = Decide(db, t, path, force);
      if (w.action == "written" || w.action == "overwritten") {
        std::error_code ec;
        fs::create_directories(path.parent_path(), ec);
        if (ec) {
          return Status::IoError(fmt::format("{}: cannot create the directory: {}",
                                             path.parent_path().string(), ec.message()));
        }
        STRATA_RETURN_IF_ERROR(common::WriteTextFile(path, RenderCreateTable(db, t)));
      }
      written.push_back(std::move(w));
    }
  }
  return written;
}

}  // namespace strata::glue
