// The project: strata.yaml parsed into typed settings, found like git finds a repository, and
// the schema sources assumed when there is no file. Schema sources are checked when the
// project loads; a target is checked (and its ${VAR}s read) only when it is resolved, so a
// target that cannot be used stops no command that does not use it.
#include "cli/project.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "tests/engine/testing/temp_dir.h"

namespace strata::cli {
namespace {

namespace fs = std::filesystem;

class ProjectTest : public ::testing::Test {
 protected:
  void Write(const std::string& relative, const std::string& text) {
    const fs::path p = fs::path(tmp_.path()) / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }

  GetEnv Env() const {
    return [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
  }

  Result<Project> Load(const std::string& cwd = "") {
    return LoadProject(cwd.empty() ? tmp_.path() : cwd, std::nullopt, Env());
  }

  std::string Config() const { return tmp_ / "strata.yaml"; }
  std::string Abs(const std::string& relative) const { return tmp_ / relative; }

  strata::testing::TempDir tmp_;
  std::map<std::string, std::string> env_;
};

// Line numbers matter below: each line is numbered in a comment.
constexpr char kDemoConfig[] =
    "version: 1\n"                                 // 1
    "log: .strata\n"                               // 2
    "schemas:\n"                                   // 3
    "  dynamodb:\n"                                // 4
    "    engine: dynamodb\n"                       // 5
    "    path: schema/dynamodb\n"                  // 6
    "targets:\n"                                   // 7
    "  local:\n"                                   // 8
    "    engine: dynamodb\n"                       // 9
    "    endpoint: ${DEMO_DDB_ENDPOINT}\n"         // 10
    "    region: us-east-1\n"                      // 11
    "  prod:\n"                                    // 12
    "    engine: dynamodb\n"                       // 13
    "    region: ${PROD_REGION}\n"                 // 14
    "    profile: prod\n";                         // 15

TEST_F(ProjectTest, TargetsWithAnUnsetVariableLoadAsWritten) {
  Write("strata.yaml", kDemoConfig);
  auto p = Load();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->config_path, Config());
  EXPECT_EQ(p->root, tmp_.path());
  EXPECT_EQ(p->log_dir, Abs(".strata"));
  ASSERT_EQ(p->targets.size(), 2u);
  const TargetConfig& local = p->targets.at("local");
  EXPECT_EQ(local.name, "local");
  EXPECT_EQ(local.engine, "dynamodb");
  EXPECT_EQ(local.where, Config() + ":8");
  ASSERT_EQ(local.settings.count("endpoint"), 1u);
  EXPECT_EQ(local.settings.at("endpoint").text, "${DEMO_DDB_ENDPOINT}");
  EXPECT_EQ(local.settings.at("endpoint").where, Config() + ":10");
  EXPECT_EQ(local.settings.count("engine"), 0u);  // the engine is not a setting
}

TEST_F(ProjectTest, ResolvingATargetWithAnUnsetVariableNamesItTheLineAndTheTarget) {
  Write("strata.yaml", kDemoConfig);
  auto p = Load();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto local = ResolveTarget(p->targets.at("local"), Env());
  ASSERT_FALSE(local.ok());
  EXPECT_EQ(local.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(local.status().message(),
            Config() + ":10: environment variable DEMO_DDB_ENDPOINT is not set (target local "
                       "uses it)");
  // The other target does not need that variable; it needs its own.
  auto prod = ResolveTarget(p->targets.at("prod"), Env());
  ASSERT_FALSE(prod.ok());
  EXPECT_EQ(prod.status().message(),
            Config() + ":14: environment variable PROD_REGION is not set (target prod uses it)");
}

TEST_F(ProjectTest, ResolvingATargetExpandsItsVariables) {
  Write("strata.yaml", kDemoConfig);
  auto p = Load();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  env_["DEMO_DDB_ENDPOINT"] = "http://127.0.0.1:8000";
  auto local = ResolveTarget(p->targets.at("local"), Env());
  ASSERT_TRUE(local.ok()) << local.status().ToString();
  EXPECT_EQ(local->name, "local");
  EXPECT_EQ(local->engine, pb::ENGINE_DYNAMODB);
  EXPECT_EQ(local->where, Config() + ":8");
  EXPECT_EQ(local->settings, (std::map<std::string, std::string>{
                                 {"endpoint", "http://127.0.0.1:8000"}, {"region", "us-east-1"}}));
  // An empty value is set.
  env_["PROD_REGION"] = "";
  auto prod = ResolveTarget(p->targets.at("prod"), Env());
  ASSERT_TRUE(prod.ok()) << prod.status().ToString();
  EXPECT_EQ(prod->settings.at("region"), "");
}

TEST_F(ProjectTest, AnUnknownTargetEngineIsReportedWhenTheTargetIsResolved) {
  Write("strata.yaml",
        "version: 1\n"            // 1
        "targets:\n"              // 2
        "  warehouse:\n"          // 3
        "    engine: mysql\n"     // 4
        "    dsn: x\n"            // 5
        "  bare:\n"               // 6
        "    region: eu-west-1\n" // 7
  );
  auto p = Load();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto warehouse = ResolveTarget(p->targets.at("warehouse"), Env());
  ASSERT_FALSE(warehouse.ok());
  EXPECT_EQ(warehouse.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(warehouse.status().message(),
            Config() + ":3: target warehouse has an unknown engine \"mysql\"; give it engine: "
                       "dynamodb, glue or postgres");
  auto bare = ResolveTarget(p->targets.at("bare"), Env());
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.status().message(),
            Config() + ":6: target bare has no engine; give it engine: dynamodb, glue or postgres");
}

TEST_F(ProjectTest, ATargetThatIsNotAMapIsRefusedAtLoad) {
  Write("strata.yaml",
        "version: 1\n"          // 1
        "targets:\n"            // 2
        "  dev: dynamodb\n");   // 3
  auto p = Load();
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(p.status().message(), Config() + ":3: target dev must be a map of settings");
}

// Found by the project_config fuzz target (tests/fuzz/project_config_seeds/schema_list): a list
// where a map belongs failed with yaml-cpp's "strata.yaml:0: invalid node; ..." and no place.
TEST_F(ProjectTest, SchemasOrTargetsThatAreNotAMapAreRefusedWithTheirLine) {
  Write("strata.yaml",
        "version: 1\n"          // 1
        "schemas: [a, b]\n");   // 2
  auto p = Load();
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(p.status().message(), Config() + ":2: schemas must be a map, name: settings");
  Write("strata.yaml",
        "targets:\n"            // 1
        "  just text\n");       // 2
  p = Load();
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(), Config() + ":2: targets must be a map, name: settings");
}

// yaml-cpp's single-document Load stopped at a stray comma and dropped the rest of the file
// without a word; the stream reader makes it an error with its line.
TEST_F(ProjectTest, AStrayCommaIsAnErrorNotTheRestOfTheFileDropped) {
  Write("strata.yaml",
        "{\"version\": 1\n"                      // 1
        "},\n"                                   // 2
        "  \"log\": \"postgres://db/strata\"\n"    // 3
        "}\n");                                  // 4
  auto p = Load();
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(p.status().message(), Config() + ":2: unexpected ',' outside any [ ] or { }; check "
                                             "that the brackets before it pair up");
}

TEST_F(ProjectTest, ASecondDocumentIsRefusedWithItsLine) {
  Write("strata.yaml",
        "version: 1\n"   // 1
        "---\n"          // 2
        "version: 1\n"); // 3
  auto p = Load();
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            Config() + ":3: a second YAML document; strata.yaml holds one map of settings");
}

TEST_F(ProjectTest, ASchemaSourceWithAnUnknownEngineFailsAtLoadWithItsLine) {
  Write("strata.yaml",
        "version: 1\n"                 // 1
        "schemas:\n"                   // 2
        "  dynamodb: schema/dynamodb\n"// 3
        "  events:\n"                  // 4
        "    engine: cassandra\n"      // 5
        "    path: schema/events\n");  // 6
  auto p = Load();
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(p.status().message(),
            Config() + ":5: schema events has unknown engine \"cassandra\"; use dynamodb, glue or "
                       "postgres");
}

TEST_F(ProjectTest, AShortSchemaEntryTakesItsKeyAsTheEngine) {
  Write("strata.yaml",
        "version: 1\n"                // 1
        "schemas:\n"                  // 2
        "  dynamodb: schema/ddb\n"    // 3
        "  events: schema/events\n"); // 4
  auto p = Load();
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(p.status().message(),
            Config() + ":4: schema events has unknown engine \"events\"; use dynamodb, glue or postgres");
}

TEST_F(ProjectTest, SchemaSourcesAreTypedAndTheirPathsAbsolute) {
  Write("strata.yaml",
        "version: 1\n"
        "schemas:\n"
        "  dynamodb: schema/dynamodb\n"
        "  app:\n"
        "    engine: postgres\n"
        "    path: db/migrations\n"
        "    artifacts: out/app\n");
  auto p = Load();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->schemas.size(), 2u);
  const SchemaSource* dynamo = p->Schema("dynamodb");
  ASSERT_NE(dynamo, nullptr);
  EXPECT_EQ(dynamo->engine, pb::ENGINE_DYNAMODB);
  EXPECT_EQ(dynamo->path, Abs("schema/dynamodb"));
  EXPECT_EQ(dynamo->artifacts, Abs("migrations/dynamodb"));
  const SchemaSource* app = p->Schema("app");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->name, "app");
  EXPECT_EQ(app->engine, pb::ENGINE_POSTGRES);
  EXPECT_EQ(app->path, Abs("db/migrations"));
  EXPECT_EQ(app->artifacts, Abs("out/app"));
  EXPECT_EQ(p->Schema("nope"), nullptr);
}

TEST_F(ProjectTest, AnUnsetVariableInASchemaPathFailsAtLoad) {
  Write("strata.yaml",
        "version: 1\n"                    // 1
        "schemas:\n"                      // 2
        "  dynamodb: ${SCHEMA_ROOT}/ddb\n");  // 3
  auto p = Load();
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(p.status().message(), Config() + ":3: environment variable SCHEMA_ROOT is not set");
  env_["SCHEMA_ROOT"] = "/srv/schemas";
  auto set = Load();
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->Schema("dynamodb")->path, "/srv/schemas/ddb");
}

TEST_F(ProjectTest, TheFileIsFoundFromASubdirectory) {
  Write("strata.yaml", kDemoConfig);
  fs::create_directories(Abs("schema/dynamodb/billing"));
  auto p = Load(Abs("schema/dynamodb/billing"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->root, tmp_.path());
  EXPECT_EQ(p->config_path, Config());
  EXPECT_EQ(p->Schema("dynamodb")->path, Abs("schema/dynamodb"));
}

// ---- no strata.yaml ------------------------------------------------------------------------

TEST_F(ProjectTest, WithoutAFileTheSourceIsDynamoDBAtSchemaDynamodb) {
  auto p = Load();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_TRUE(p->config_path.empty());
  EXPECT_EQ(p->ConfigName(), "strata.yaml");
  EXPECT_EQ(p->log_dir, Abs(".strata"));
  EXPECT_TRUE(p->targets.empty());
  ASSERT_EQ(p->schemas.size(), 1u);
  const SchemaSource* s = p->Schema("dynamodb");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->engine, pb::ENGINE_DYNAMODB);
  EXPECT_EQ(s->path, Abs("schema/dynamodb"));
  EXPECT_EQ(s->artifacts, Abs("migrations/dynamodb"));
}

TEST_F(ProjectTest, WithoutAFileOnlySqlMigrationsMakeAPostgresSource) {
  Write("migrations/core/20260101120000_core_init.sql", "create table t (id int);\n");
  auto p = Load();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->schemas.size(), 1u);
  const SchemaSource* s = p->Schema("postgres");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->name, "postgres");
  EXPECT_EQ(s->engine, pb::ENGINE_POSTGRES);
  EXPECT_EQ(s->path, Abs("migrations"));
  EXPECT_EQ(s->artifacts, Abs("migrations/postgres"));
}

TEST_F(ProjectTest, WithoutAFileSqlDirectlyInMigrationsMakesAPostgresSource) {
  Write("migrations/20260101120000_core_init.sql", "select 1;\n");
  auto p = Load();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_NE(p->Schema("postgres"), nullptr);
  EXPECT_EQ(p->Schema("dynamodb"), nullptr);
}

TEST_F(ProjectTest, WithoutAFileMigrationsWithoutSqlStayDynamoDB) {
  // DynamoDB's own artifacts live under migrations/: they must not make it PostgreSQL.
  Write("migrations/dynamodb/0000_create_orders.json", "{}\n");
  Write("migrations/notes.txt", "later\n");
  auto p = Load();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->schemas.size(), 1u);
  EXPECT_NE(p->Schema("dynamodb"), nullptr);
}

TEST_F(ProjectTest, WithoutAFileSqlTooDeepDoesNotCount) {
  Write("migrations/a/b/20260101120000_core_init.sql", "select 1;\n");
  auto p = Load();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_NE(p->Schema("dynamodb"), nullptr);
  EXPECT_EQ(p->Schema("postgres"), nullptr);
}

TEST_F(ProjectTest, WithoutAFileADynamoDirectoryWinsOverSqlMigrations) {
  fs::create_directories(Abs("schema/dynamodb"));
  Write("migrations/core/20260101120000_core_init.sql", "select 1;\n");
  auto p = Load();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->schemas.size(), 1u);
  EXPECT_NE(p->Schema("dynamodb"), nullptr);
}

TEST_F(ProjectTest, AFileWithoutSchemasGetsTheImplicitSource) {
  Write("strata.yaml", "version: 1\nlog: history\n");
  Write("migrations/core/20260101120000_core_init.sql", "select 1;\n");
  auto p = Load();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->log_dir, Abs("history"));
  ASSERT_NE(p->Schema("postgres"), nullptr);
}

TEST_F(ProjectTest, APostgresLogUrlNamesASharedStoreWithItsVariablesExpanded) {
  env_["LOG_HOST"] = "db.internal";
  Write("strata.yaml", "version: 1\nlog: postgres://strata@${LOG_HOST}/ops?log=acme\n");
  auto p = Load();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->log_url, "postgres://strata@db.internal/ops?log=acme");
  EXPECT_EQ(p->log_where, Config() + ":2");
  EXPECT_EQ(p->log_dir, Abs(".strata"));  // untouched: the default directory
}

TEST_F(ProjectTest, AnotherLogUrlIsRefusedNamingTheLineAndWhatWorks) {
  Write("strata.yaml", "version: 1\nlog: ftp://host/prefix\n");
  auto p = Load();
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(p.status().message(),
            Config() + ":2: this strata keeps shared logs at postgres://, postgresql://, s3://, "
                       "dynamodb:// URLs, not ftp://host/prefix; use one of those or a directory");
}

TEST_F(ProjectTest, AnS3LogUrlNamesASharedStore) {
  Write("strata.yaml", "version: 1\nlog: s3://acme-schema/strata/prod?region=eu-west-1\n");
  auto p = Load();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->log_url, "s3://acme-schema/strata/prod?region=eu-west-1");
  EXPECT_EQ(p->log_where, Config() + ":2");
}

TEST_F(ProjectTest, AProjectDirectoryThatDoesNotExistIsNotFound) {
  auto p = LoadProject(tmp_.path(), std::string("nowhere"), Env());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Code::kNotFound);
  EXPECT_EQ(p.status().message(), "--project nowhere: no such directory");
}

TEST_F(ProjectTest, TheSigningSectionIsTypedWithPathsResolved) {
  env_["HOME"] = "/home/alice";
  Write("strata.yaml",
        "version: 1\n"
        "signing:\n"                                // 2
        "  key: ~/.ssh/id_ed25519.pub\n"
        "  allowed_signers: allowed_signers\n"
        "  revoked_keys: keys/revoked\n"
        "  program: ssh-keygen\n"
        "  require: true\n");
  auto p = Load();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->signing.key, "/home/alice/.ssh/id_ed25519.pub");
  EXPECT_EQ(p->signing.allowed_signers, Abs("allowed_signers"));
  EXPECT_EQ(p->signing.revoked_keys, Abs("keys/revoked"));
  EXPECT_EQ(p->signing.program, "ssh-keygen");  // looked for on PATH when used
  EXPECT_TRUE(p->signing.require);
  EXPECT_EQ(p->signing.where, Config() + ":3");
  EXPECT_EQ(p->signing.require_where, Config() + ":7");
}

TEST_F(ProjectTest, SigningSettingsAreCheckedWithTheirLine) {
  Write("strata.yaml", "signing:\n  require: yes please\n");
  EXPECT_EQ(Load().status().ToString(),
            "INVALID_ARGUMENT: " + Config() +
                ":2: signing.require must be true or false, not \"yes please\"");
  Write("strata.yaml", "signing:\n  keyfile: a\n");
  EXPECT_EQ(Load().status().ToString(),
            "INVALID_ARGUMENT: " + Config() +
                ":2: unknown signing setting \"keyfile\"; expected key, allowed_signers, "
                "revoked_keys, program or require");
  Write("strata.yaml", "signing: true\n");
  EXPECT_EQ(Load().status().ToString(),
            "INVALID_ARGUMENT: " + Config() +
                ":1: signing must be a map (key, allowed_signers, revoked_keys, program, require)");
}

}  // namespace
}  // namespace strata::cli
