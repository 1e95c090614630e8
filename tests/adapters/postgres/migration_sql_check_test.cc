#include "adapters/postgres/migration_sql_check.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace strata::postgres {
namespace {

// "LINE: STATEMENT" for transaction control, "LINE: " and the message's first 7 characters
// otherwise, for compact expectations.
std::vector<std::string> Lines(std::string_view sql, bool no_transaction = false) {
  std::vector<std::string> out;
  for (const SqlProblem& p : CheckMigrationSql(sql, no_transaction)) {
    const size_t inside = p.message.find(" inside a migration");
    out.push_back(std::to_string(p.line) + ": " +
                  p.message.substr(0, inside != std::string::npos ? inside : 7));
  }
  return out;
}

using Want = std::vector<std::string>;

TEST(MigrationSqlCheckTest, PlainMigrationsHaveNoProblems) {
  EXPECT_EQ(Lines("CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN b text;\n"), Want{});
  EXPECT_EQ(Lines(""), Want{});
  EXPECT_EQ(Lines("\\echo applying :migration_name\nSELECT :'migration_name';\n"), Want{});
}

TEST(MigrationSqlCheckTest, EveryTopLevelTransactionControlStatementIsFoundWithItsLine) {
  const char* sql =
      "BEGIN;\n"                                  // 1
      "CREATE TABLE a (id int);\n"                // 2
      "COMMIT;\n"                                 // 3
      "start   transaction isolation level serializable;\n"  // 4
      "end;\n"                                    // 5
      "Rollback;\n"                               // 6
      "abort;\n"                                  // 7
      "begin work; commit work;\n"                // 8 (twice)
      "PREPARE TRANSACTION 'x';\n";               // 9
  EXPECT_EQ(Lines(sql), (Want{"1: BEGIN", "3: COMMIT", "4: START TRANSACTION",
                              "5: END", "6: ROLLBACK", "7: ABORT",
                              "8: BEGIN", "8: COMMIT",
                              "9: PREPARE TRANSACTION"}));
}

TEST(MigrationSqlCheckTest, TheMessageNamesBothFixes) {
  auto p = CheckMigrationSql("COMMIT;", false);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].message,
            "COMMIT inside a migration would end the one transaction strata runs it in, so what "
            "follows could no longer be rolled back with it; remove it, or, if the migration "
            "must manage its own transactions, make \"-- strata:no-transaction\" one of the "
            "comment lines that open the file");
}

TEST(MigrationSqlCheckTest, StatementsThatCannotRunInATransactionNeedTheMarker) {
  const char* sql =
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n"     // 1
      "create unique index concurrently u on t (b);\n"            // 2
      "DROP INDEX CONCURRENTLY IF EXISTS i;\n"                     // 3
      "REINDEX TABLE CONCURRENTLY t;\n"                            // 4
      "VACUUM t;\n"                                                // 5
      "ALTER SYSTEM SET work_mem = '8MB';\n"                       // 6
      "CREATE DATABASE d;\nDROP DATABASE d;\n"                     // 7, 8
      "CREATE TABLESPACE s LOCATION '/x';\nDROP TABLESPACE s;\n"   // 9, 10
      "CREATE INDEX concurrently_named ON t (a);\n"               // 11: an index's name
      "DO $$ BEGIN EXECUTE 'VACUUM t'; END $$;\n";                // 12: inside a body
  EXPECT_EQ(Lines(sql), (Want{"1: CREATE INDEX CONCURRENTLY", "2: CREATE INDEX CONCURRENTLY",
                              "3: DROP INDEX CONCURRENTLY", "4: REINDEX CONCURRENTLY",
                              "5: VACUUM", "6: ALTER SYSTEM", "7: CREATE DATABASE",
                              "8: DROP DATABASE", "9: CREATE TABLESPACE",
                              "10: DROP TABLESPACE"}));
  EXPECT_EQ(Lines(sql, /*no_transaction=*/true), Want{});
  auto p = CheckMigrationSql("DROP INDEX CONCURRENTLY i;", false);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].message,
            "DROP INDEX CONCURRENTLY inside a migration cannot run in the transaction strata runs "
            "it in (PostgreSQL refuses it in a transaction block); make "
            "\"-- strata:no-transaction\" one of the comment lines that open the file");
}

TEST(MigrationSqlCheckTest, SavepointsAndRollbackToAreFine) {
  EXPECT_EQ(Lines("SAVEPOINT s;\nINSERT INTO t VALUES (1);\nROLLBACK TO SAVEPOINT s;\n"
                  "ROLLBACK TO s;\nRELEASE SAVEPOINT s;\n"),
            Want{});
}

TEST(MigrationSqlCheckTest, KeywordsInsideCommentsStringsIdentifiersAndBodiesAreNotStatements) {
  const char* sql =
      "-- BEGIN; COMMIT;\n"
      "/* COMMIT; /* nested */ ROLLBACK; */\n"
      "SELECT 'a;\n COMMIT;' , E'it\\'s; COMMIT;', 'x''; COMMIT;';\n"
      "CREATE TABLE \"commit\" (\"end\" int, \"x;\n begin\" int);\n"
      "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\n"
      "BEGIN\n  IF true THEN RETURN NEW; END IF;\nEND;\n$$;\n"
      "CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $body$\n"
      "BEGIN RETURN 1; END; $$ still inside; COMMIT;\n$body$;\n"
      "DO 'BEGIN PERFORM 1; END';\n";
  EXPECT_EQ(Lines(sql), Want{});
}

TEST(MigrationSqlCheckTest, SqlStandardRoutineBodiesHoldSemicolonsUntilTheirEnd) {
  const char* sql =
      "CREATE OR REPLACE FUNCTION h(a int) RETURNS int LANGUAGE sql\n"
      "BEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n  SELECT a;\nEND;\n"
      "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;\n"
      "COMMIT;\n";  // 7: after the bodies, a statement again
  EXPECT_EQ(Lines(sql), Want{"7: COMMIT"});
}

TEST(MigrationSqlCheckTest, BackslashCommandsAreNotStatementsAndGSendsOne) {
  EXPECT_EQ(Lines("\\echo BEGIN; COMMIT;\nSELECT 1 \\g\nCOMMIT\n\\gexec\n"),
            Want{"3: COMMIT"});
}

TEST(MigrationSqlCheckTest, CopyDataIsNotSql) {
  EXPECT_EQ(Lines("COPY t (a, b) FROM stdin;\nBEGIN;\tx\nCOMMIT;\ty\n\\.\nCOMMIT;\n"),
            Want{"5: COMMIT"});
  EXPECT_EQ(Lines("COPY t FROM STDIN WITH (FORMAT csv);\nCOMMIT\n"), Want{});  // never ended
  EXPECT_EQ(Lines("COPY t TO stdout;\nCOMMIT;\n"), Want{"2: COMMIT"});
}

TEST(MigrationSqlCheckTest, DollarParametersAndIdentifiersWithDollarsAreNotQuotes) {
  EXPECT_EQ(Lines("PREPARE q AS SELECT $1;\nCREATE TABLE a$b (x int);\nCOMMIT;\n"),
            Want{"3: COMMIT"});
}

TEST(MigrationSqlCheckTest, NoTransactionFilesManageTheirOwnBlocks) {
  const char* balanced =
      "-- strata:no-transaction\n"
      "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n"
      "CREATE INDEX CONCURRENTLY i ON a (id);\n";
  EXPECT_EQ(Lines(balanced, true), Want{});
  const char* open =
      "-- strata:no-transaction\n"
      "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n"
      "START TRANSACTION;\n"  // 5: never ended
      "CREATE TABLE b (id int);\n";
  auto p = CheckMigrationSql(open, true);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].line, 5);
  EXPECT_EQ(p[0].message,
            "this transaction block is still open at the end of the file: psql rolls it back "
            "silently, so its statements would not stay applied; end it with COMMIT");
  EXPECT_EQ(Lines("BEGIN;\nSELECT 1;\nROLLBACK;\n", true), Want{});
}

TEST(MigrationSqlCheckTest, NearMissesOfTheMarkerAreErrorsWithTheExactSpelling) {
  for (const char* line : {"-- strata: no-transaction", "--strata:no-transaction",
                           "-- strata:no_transaction", "-- strata:notransaction",
                           "-- Strata:No-Transaction", "-- strata no-transaction",
                           "  --   STRATA:NO-TRANSACTION  "}) {
    const std::string sql = std::string("-- add an index\n") + line + "\nCREATE INDEX i ON t (a);\n";
    auto p = CheckMigrationSql(sql, false);
    ASSERT_EQ(p.size(), 1u) << line;
    EXPECT_EQ(p[0].line, 2) << line;
    EXPECT_NE(p[0].message.find("is not the no-transaction marker"), std::string::npos) << line;
    EXPECT_NE(p[0].message.find("write the line exactly as \"-- strata:no-transaction\""),
              std::string::npos)
        << line;
  }
}

TEST(MigrationSqlCheckTest, TheMarkerItselfAndUnrelatedCommentsAreFine) {
  EXPECT_EQ(Lines("-- header\n-- strata:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);\n",
                  true),
            Want{});
  // The template's own sentence about the marker is not a marker.
  EXPECT_EQ(Lines("-- \"-- strata:no-transaction\" (without the quotes) among these lines.\n"
                  "-- strata is a tool; no transaction problems here\nSELECT 1;\n"),
            Want{});
}

TEST(MigrationSqlCheckTest, TheMarkerAfterTheFirstStatementIsReportedNotIgnored) {
  auto p = CheckMigrationSql("SELECT 1;\n-- strata:no-transaction\nSELECT 2;\n", false);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].line, 2);
  EXPECT_EQ(p[0].message,
            "the \"-- strata:no-transaction\" marker counts only among the comment lines that "
            "open the file, before any SQL; move it there");
  EXPECT_EQ(Lines("SELECT 1; -- strata:no-transaction\n"), Want{"1: the \"--"});
}

TEST(MigrationSqlCheckTest, UnterminatedQuotesRunToTheEndWithoutFailing) {
  EXPECT_EQ(Lines("SELECT 'never closed;\nCOMMIT;\n"), Want{});
  EXPECT_EQ(Lines("SELECT $x$ never closed;\nCOMMIT;\n"), Want{});
  EXPECT_EQ(Lines("/* never closed\nCOMMIT;\n"), Want{});
}

// Random text from SQL's troublesome pieces: whatever it holds, the check returns (no crash,
// no endless loop), every line it names is in the file, in order; and wrapped whole in a
// dollar-quoted body, nothing of it is a statement.
TEST(MigrationSqlCheckTest, RandomTextNeverFailsAndADollarBodyHidesAllOfIt) {
  const std::vector<std::string> pieces = {
      "BEGIN", "COMMIT", "END", "ROLLBACK", " TO ", "start transaction", "abort", ";", "\n",
      " ", "'", "''", "E'", "\\'", "\"", "\"\"", "$$", "$a$", "$1", "--", "/*", "*/", "(",
      ")", "\\echo ", "\\g", "CREATE FUNCTION f() ", "BEGIN ATOMIC ", "CASE ", "copy t from stdin",
      "\\.", "-- strata: no-transaction", "-- strata:no-transaction", "x", "\r", "\t", "é"};
  std::mt19937 rng(20260301);
  for (int round = 0; round < 3000; ++round) {
    std::string sql;
    const int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) sql += pieces[rng() % pieces.size()];
    const int lines = 1 + static_cast<int>(std::count(sql.begin(), sql.end(), '\n'));
    for (bool no_transaction : {false, true}) {
      const std::vector<SqlProblem> problems = CheckMigrationSql(sql, no_transaction);
      for (size_t i = 0; i < problems.size(); ++i) {
        EXPECT_GE(problems[i].line, 1) << sql;
        EXPECT_LE(problems[i].line, lines) << sql;
        if (i > 0) {
          EXPECT_LE(problems[i - 1].line, problems[i].line) << sql;
        }
        EXPECT_FALSE(problems[i].message.empty());
      }
    }
    if (sql.find("$body$") == std::string::npos) {
      EXPECT_EQ(Lines("DO $body$" + sql + "$body$;\n"), Want{}) << sql;
    }
  }
}


// ---- SplitMigrationSql ---------------------------------------------------------------------

// The statements' texts, each prefixed "LINE: ".
std::vector<std::string> Split(std::string_view sql) {
  const SqlSplit split = SplitMigrationSql(sql);
  EXPECT_EQ(split.psql_line, 0) << split.psql_reason << "\n" << sql;
  std::vector<std::string> out;
  for (const SqlStatement& s : split.statements) {
    out.push_back(std::to_string(s.line) + ": " + std::string(sql.substr(s.begin, s.end - s.begin)));
  }
  return out;
}

// "LINE: reason" when only psql can run `sql`; "" when strata can.
std::string NeedsPsql(std::string_view sql) {
  const SqlSplit split = SplitMigrationSql(sql);
  if (split.psql_line == 0) return "";
  return std::to_string(split.psql_line) + ": " + split.psql_reason;
}

TEST(SplitMigrationSqlTest, StatementsAreWhatPsqlWouldSendOneByOne) {
  EXPECT_EQ(Split("-- leading comment\nCREATE TABLE t (id int);\n\n  ALTER TABLE t\n  ADD b text;"
                  "  -- trailing\n"),
            (Want{"2: CREATE TABLE t (id int);", "4: ALTER TABLE t\n  ADD b text;"}));
  // The last statement needs no ';'; comments and blank lines alone are no statement.
  EXPECT_EQ(Split("SELECT 1;\nSELECT 2\n"), (Want{"1: SELECT 1;", "2: SELECT 2\n"}));
  EXPECT_EQ(Split("-- only a comment\n\n"), Want{});
  EXPECT_EQ(Split(""), Want{});
  // ';' inside strings, identifiers, comments, dollar quotes and parentheses ends nothing.
  EXPECT_EQ(Split("INSERT INTO \"a;b\" VALUES ('x;y', E'it\\'s;', $$p;q$$, $t$ $$; $t$);\n"
                  "/* a; /* nested; */ still; */ SELECT 1;\n"
                  "CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2);\n"),
            (Want{"1: INSERT INTO \"a;b\" VALUES ('x;y', E'it\\'s;', $$p;q$$, $t$ $$; $t$);",
                  "2: /* a; /* nested; */ still; */ SELECT 1;",
                  "3: CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2);"}));
  // The body of a SQL-standard routine is one statement, as psql reads it.
  EXPECT_EQ(Split("CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n"
                  "  SELECT CASE WHEN true THEN 2 END;\nEND;\nSELECT f();\n"),
            (Want{"1: CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n"
                  "  SELECT CASE WHEN true THEN 2 END;\nEND;",
                  "6: SELECT f();"}));
  // A statement with no words is still sent (and the server says what is wrong with it).
  EXPECT_EQ(Split("'abc';\n;\n"), (Want{"1: 'abc';", "2: ;"}));
  // A cast is not a variable; named arguments neither.
  EXPECT_EQ(Split("SELECT '1'::int, f(a := 1), $1;\n"), (Want{"1: SELECT '1'::int, f(a := 1), $1;"}));
}

TEST(SplitMigrationSqlTest, WhatOnlyPsqlCanRunIsNamedWithItsLine) {
  EXPECT_EQ(NeedsPsql("CREATE TABLE t (id int);\n\\echo hi\n"), "2: a psql meta-command");
  EXPECT_EQ(NeedsPsql("SELECT 1 \\gset\n"), "1: a psql meta-command");
  EXPECT_EQ(NeedsPsql("\n\nINSERT INTO t VALUES (:'migration_name');\n"), "3: a psql variable");
  EXPECT_EQ(NeedsPsql("SELECT :n;\n"), "1: a psql variable");
  EXPECT_EQ(NeedsPsql("CREATE TABLE :\"name\" (id int);\n"), "1: a psql variable");
  EXPECT_EQ(NeedsPsql("SELECT 1;\nCOPY t (a) FROM stdin;\n1\n\\.\n"),
            "2: COPY from STDIN or to STDOUT");
  EXPECT_EQ(NeedsPsql("COPY t TO STDOUT;\n"), "1: COPY from STDIN or to STDOUT");
  EXPECT_EQ(NeedsPsql("SELECT 'open;\n"), "1: a quoted string that is never closed");
  EXPECT_EQ(NeedsPsql("SELECT 1 AS \"open;\n"), "1: a quoted identifier that is never closed");
  EXPECT_EQ(NeedsPsql("DO $x$ BEGIN END $y$;\n"), "1: a dollar-quoted string that is never closed");
  EXPECT_EQ(NeedsPsql("SELECT 1; /* open\n"), "1: a comment that is never closed");
  EXPECT_EQ(NeedsPsql("SELECT (1;\n"),
            "2: a parenthesis or BEGIN ATOMIC body still open at the end of the file");
  // Inside quotes, dollar quotes and comments, psql's syntax is text.
  EXPECT_EQ(NeedsPsql("SELECT ':x', '\\echo'; -- :y \\z\nDO $$ BEGIN x := :y; END $$;\n"
                      "/* \\echo :z */ SELECT \":w\";\n"),
            "");
  EXPECT_EQ(NeedsPsql("SELECT 1;\nSET standard_conforming_strings = off;\n"),
            "2: a change of standard_conforming_strings");
  // A COPY from a server file needs no psql.
  EXPECT_EQ(NeedsPsql("COPY t FROM '/srv/t.csv';\n"), "");
}

// Pasting the statements back together (with what lies between them) gives the text, the
// statements are in order and do not overlap, and each starts on the line it says.
TEST(SplitMigrationSqlTest, StatementsCoverTheTextInOrder) {
  std::mt19937 rng(7);
  const std::vector<std::string> pieces = {
      "SELECT 1", ";", "\n", " ", "'a;b'", "E'c\\'d'", "\"e;f\"", "$$g;h$$", "-- i;\n",
      "/* j; */", "(", ")", "CREATE FUNCTION f() BEGIN ATOMIC", "END", "x", "::int"};
  for (int trial = 0; trial < 500; ++trial) {
    std::string sql;
    const int n = 1 + static_cast<int>(rng() % 30);
    for (int i = 0; i < n; ++i) sql += pieces[rng() % pieces.size()];
    const SqlSplit split = SplitMigrationSql(sql);
    size_t previous_end = 0;
    for (const SqlStatement& s : split.statements) {
      ASSERT_LE(previous_end, s.begin) << sql;
      ASSERT_LT(s.begin, s.end) << sql;
      ASSERT_LE(s.end, sql.size()) << sql;
      EXPECT_EQ(s.line, 1 + std::count(sql.begin(), sql.begin() + static_cast<long>(s.begin), '\n'))
          << sql;
      const std::string_view between(sql.data() + previous_end, s.begin - previous_end);
      for (char c : between) {
        // Only white space and `--` comments lie between statements.
        if (c != ' ' && c != '\n') {
          EXPECT_NE(between.find("--"), std::string_view::npos) << sql;
          break;
        }
      }
      previous_end = s.end;
    }
  }
}

}  // namespace
}  // namespace strata::postgres
