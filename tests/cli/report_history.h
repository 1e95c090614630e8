// A small known history for the report tests: two DynamoDB tables and a PostgreSQL table whose
// name, actor and messages are hostile HTML, three deployments to two targets, a drop and a
// tag. Written straight to a project's log, so the tests need no server.
#pragma once

#include <google/protobuf/text_format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/log/env.h"
#include "engine/store/commit_store.h"
#include "proto/commit.pb.h"
#include "tests/engine/testing/dynamo_events.h"

namespace strata::testing {

// The PostgreSQL table's name and the third commit's message: text a page must never run.
inline constexpr char kHostileTable[] = "</script><img src=x onerror=\"window.__xss=1\">";
inline constexpr char kHostileMessage[] = "</script><script>window.__xss=2</script>by status";
inline constexpr char kHostileActor[] = "<b onmouseover='window.__xss=3'>mallory</b>";

struct ReportCommit {
  const char* schema;
  pb::Origin origin;
  const char* actor;
  const char* message;
  std::string body;  // pb::Commit fields as protobuf text: events, deployment, tag
};

inline std::vector<ReportCommit> ReportHistoryCommits() {
  // The name is spliced between two halves of protobuf text, which the formatter misreads.
  // clang-format off
  const std::string hostile_table =
      std::string(R"pb(events { postgres { create_table { table { schema: "app" name: ")pb") +
      R"(</script><img src=x onerror=\"window.__xss=1\">)" +
      R"pb(" columns { name: "id" type: "integer" identity: PG_IDENTITY_NONE } } } } })pb";
  // clang-format on
  return {
      {"dynamodb", pb::ORIGIN_GENERATE, "alice", "initial tables",
       R"pb(events {
              dynamodb {
                create_table {
                  table {
                    name: "orders"
                    key { partition_key: "id" }
                    attributes { name: "id" type: DYNAMO_ATTRIBUTE_TYPE_S }
                    billing_mode: DYNAMO_BILLING_MODE_PAY_PER_REQUEST
                    stream: DYNAMO_STREAM_DISABLED
                    table_class: DYNAMO_TABLE_CLASS_STANDARD
                  }
                }
              }
            })pb"},
      {"dynamodb", pb::ORIGIN_GENERATE, "bob", "customers",
       R"pb(events {
              dynamodb {
                create_table {
                  table {
                    name: "customers"
                    key { partition_key: "email" }
                    attributes { name: "email" type: DYNAMO_ATTRIBUTE_TYPE_S }
                    billing_mode: DYNAMO_BILLING_MODE_PAY_PER_REQUEST
                    stream: DYNAMO_STREAM_DISABLED
                    table_class: DYNAMO_TABLE_CLASS_STANDARD
                  }
                }
              }
            })pb"},
      {"dynamodb", pb::ORIGIN_GENERATE, "bob", kHostileMessage,
       R"pb(events {
              dynamodb {
                add_global_index {
                  table: "orders"
                  index {
                    name: "by_status"
                    key { partition_key: "status" }
                    projection { type: DYNAMO_PROJECTION_TYPE_ALL }
                  }
                  attributes { name: "status" type: DYNAMO_ATTRIBUTE_TYPE_S }
                }
              }
            })pb"},
      {"postgres", pb::ORIGIN_MIGRATE, kHostileActor, "app schema & a table named '<img>'",
       R"pb(events { postgres { create_schema { schema { name: "app" } } } })pb" + hostile_table},
      {"dynamodb", pb::ORIGIN_DEPLOY, "alice", "deploy to prod-ddb",
       R"pb(deployment {
              target: "prod-ddb"
              from_seq: 0
              to_seq: 3
              outcome: DEPLOYMENT_SUCCEEDED
              duration_ms: 1200
            })pb"},
      {"dynamodb", pb::ORIGIN_GENERATE, "carol", "protect orders",
       R"pb(events { dynamodb { set_deletion_protection { table: "orders" enabled: true } } })pb"},
      {"dynamodb", pb::ORIGIN_DROP, "alice", "customers retired",
       R"pb(events { dynamodb { drop_table { table: "customers" } } })pb"},
      {"dynamodb", pb::ORIGIN_DEPLOY, "alice", "deploy to prod-ddb",
       R"pb(deployment {
              target: "prod-ddb"
              from_seq: 3
              to_seq: 3
              outcome: DEPLOYMENT_FAILED
              duration_ms: 800
              detail: "throttled"
            })pb"},
      {"dynamodb", pb::ORIGIN_DEPLOY, "carol", "deploy to staging-ddb",
       R"pb(deployment {
              target: "staging-ddb"
              from_seq: 0
              to_seq: 7
              outcome: DEPLOYMENT_SUCCEEDED
              duration_ms: 950
            })pb"},
      {"", pb::ORIGIN_TAG, "alice", "", R"pb(tag { name: "v1" target_seq: 3 })pb"},
  };
}

// A longer tail after the known history, for the page's bounds: one commit creating `tables`
// DynamoDB tables (load-0000, ...), then commits that each retag three of them.
struct ReportHistoryOptions {
  int tail_commits = 0;
  int tail_tables = 0;
};

inline pb::Commit TailCommit(int n, const ReportHistoryOptions& options) {
  static const char* const kActors[] = {"dana", "erin", "frank", "grace"};
  pb::Commit c;
  auto table = [](int t) {
    char name[32];
    std::snprintf(name, sizeof name, "load-%04d", t);
    return std::string(name);
  };
  if (n == 0) {
    for (int t = 0; t < options.tail_tables; ++t) {
      *c.add_events() = CreateTableEvent(table(t));
    }
    c.set_message("load tables");
  } else {
    for (int k = 0; k < 3; ++k) {
      auto* tag = c.add_events()->mutable_dynamodb()->mutable_set_tag();
      tag->set_table(table((n * 7 + k * 13) % options.tail_tables));
      tag->set_key("revision");
      tag->set_value(std::to_string(n));
    }
    c.set_message("retag, round " + std::to_string(n));
  }
  c.set_origin(pb::ORIGIN_GENERATE);
  c.mutable_actor()->set_name(kActors[n % 4]);
  return c;
}

// Writes strata.yaml and the history's log into `dir` (created): `commits` (the known history
// unless given), a day apart, then the tail. Returns "" or what failed.
inline std::string WriteReportHistory(
    const std::string& dir, const ReportHistoryOptions& options = {},
    const std::vector<ReportCommit>& commits = ReportHistoryCommits()) {
  namespace fs = std::filesystem;
  fs::create_directories(fs::path(dir) / "schema" / "dynamodb");
  fs::create_directories(fs::path(dir) / "migrations");
  std::ofstream(fs::path(dir) / "strata.yaml")
      << "version: 1\nlog: .strata\nschemas:\n"
      << "  dynamodb:\n    engine: dynamodb\n    path: schema/dynamodb\n"
      << "  postgres:\n    engine: postgres\n    path: migrations\n";
  auto env = NewPosixEnv();
  auto writer = CommitWriter::Open(env.get(), (fs::path(dir) / ".strata").string(), LogOptions());
  if (!writer.ok()) return writer.status().ToString();
  int64_t time = 1772355600000000;  // 2026-03-01T09:00:00Z
  for (const ReportCommit& rc : commits) {
    pb::Commit c;
    if (!google::protobuf::TextFormat::ParseFromString(rc.body, &c)) return "bad text: " + rc.body;
    const std::string schema = rc.schema;
    c.set_schema(schema);
    if (!schema.empty()) {
      c.set_engine(schema == "postgres" ? pb::ENGINE_POSTGRES : pb::ENGINE_DYNAMODB);
    }
    c.set_origin(rc.origin);
    c.mutable_actor()->set_name(rc.actor);
    c.mutable_actor()->set_email(std::string(rc.actor) == "bob" ? "bob@shop.example" : "");
    c.set_message(rc.message);
    c.set_time_unix_micros(time);
    time += 86400000000;  // a day apart
    auto appended = (*writer)->Append(c);
    if (!appended.ok()) return appended.status().ToString();
  }
  for (int n = 0; n < options.tail_commits && options.tail_tables > 0; ++n) {
    pb::Commit c = TailCommit(n, options);
    c.set_schema("dynamodb");
    c.set_engine(pb::ENGINE_DYNAMODB);
    c.set_time_unix_micros(time);
    time += 3600000000;  // an hour apart
    auto appended = (*writer)->Append(c);
    if (!appended.ok()) return appended.status().ToString();
  }
  return "";
}

}  // namespace strata::testing
