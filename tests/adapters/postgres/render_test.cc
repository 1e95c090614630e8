// adapters/postgres/render: DDL for single objects and whole schemas, without a server (the
// round trip through a real server is in tests/integration/postgres/introspect_test.cc).
#include "adapters/postgres/render.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include "tests/adapters/postgres/render_testing.h"

namespace strata::postgres {
namespace {

using render_testing::At;
using render_testing::Ddl;
using render_testing::Parse;

TEST(QuoteIdentIfNeededTest, QuotesExactlyWhatQuoteIdentQuotes) {
  EXPECT_EQ(QuoteIdentIfNeeded("users"), "users");
  EXPECT_EQ(QuoteIdentIfNeeded("_tmp2"), "_tmp2");
  EXPECT_EQ(QuoteIdentIfNeeded("name"), "name");  // an unreserved keyword
  EXPECT_EQ(QuoteIdentIfNeeded("Users"), "\"Users\"");
  EXPECT_EQ(QuoteIdentIfNeeded("2fa"), "\"2fa\"");
  EXPECT_EQ(QuoteIdentIfNeeded("my table"), "\"my table\"");
  EXPECT_EQ(QuoteIdentIfNeeded("we\"ird"), "\"we\"\"ird\"");
  EXPECT_EQ(QuoteIdentIfNeeded("ünïcode"), "\"ünïcode\"");
  EXPECT_EQ(QuoteIdentIfNeeded("a.b"), "\"a.b\"");
  EXPECT_EQ(QuoteIdentIfNeeded("user"), "\"user\"");        // reserved
  EXPECT_EQ(QuoteIdentIfNeeded("integer"), "\"integer\"");  // column-name keyword
  EXPECT_EQ(QuoteIdentIfNeeded("left"), "\"left\"");        // type or function name keyword
  EXPECT_EQ(QuoteIdentIfNeeded(""), "\"\"");
  EXPECT_EQ(QualifiedName("my schema", "t"), "\"my schema\".t");
}

constexpr char kShop[] = R"pb(
  tables {
    key: "public.users"
    value {
      schema: "public"
      name: "users"
      comment: "people's accounts"
      columns { name: "id" type: "bigint" not_null: true identity: PG_IDENTITY_ALWAYS }
      columns {
        name: "Email"
        type: "text"
        not_null: true
        identity: PG_IDENTITY_NONE
        collation: "\"C\""
        comment: "login"
      }
      columns { name: "name" type: "text" identity: PG_IDENTITY_NONE default_expr: "''::text" }
      columns { name: "n2" type: "integer" identity: PG_IDENTITY_BY_DEFAULT not_null: true }
      columns { name: "twice" type: "bigint" identity: PG_IDENTITY_NONE generated_expr: "(id * 2)" }
      constraints {
        name: "users_Email_key"
        type: PG_CONSTRAINT_UNIQUE
        definition: "UNIQUE (\"Email\")"
        comment: "one per mail"
      }
      constraints {
        name: "users_org_fkey"
        type: PG_CONSTRAINT_FOREIGN_KEY
        definition: "FOREIGN KEY (n2) REFERENCES public.orgs(id)"
      }
      constraints {
        name: "users_pkey"
        type: PG_CONSTRAINT_PRIMARY_KEY
        definition: "PRIMARY KEY (id)"
      }
      indexes {
        name: "users_name_idx"
        definition: "CREATE INDEX users_name_idx ON public.users USING btree (name)"
        comment: "by name"
      }
      triggers {
        name: "users_touch"
        definition: "CREATE TRIGGER users_touch BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.touch()"
        comment: "keeps it fresh"
      }
    }
  }
  tables {
    key: "public.orgs"
    value {
      schema: "public"
      name: "orgs"
      columns {
        name: "id"
        type: "integer"
        not_null: true
        identity: PG_IDENTITY_NONE
        default_expr: "nextval('public.orgs_id_seq'::regclass)"
      }
      constraints {
        name: "orgs_pkey"
        type: PG_CONSTRAINT_PRIMARY_KEY
        definition: "PRIMARY KEY (id)"
      }
    }
  }
  tables {
    key: "odd schema.a.b"
    value {
      schema: "odd schema"
      name: "a.b"
      columns { name: "c" type: "integer" identity: PG_IDENTITY_NONE }
    }
  }
  sequences {
    key: "public.orgs_id_seq"
    value {
      schema: "public"
      name: "orgs_id_seq"
      data_type: "integer"
      start: 1
      increment: 1
      min_value: 1
      max_value: 2147483647
      cache: 1
      owned_by: "public.orgs.id"
    }
  }
  sequences {
    key: "odd schema.s"
    value {
      schema: "odd schema"
      name: "s"
      data_type: "bigint"
      start: 5
      increment: -1
      min_value: -10
      max_value: 9
      cache: 3
      cycle: true
      owned_by: "odd schema.a.b.c"
      comment: "counts down"
    }
  }
  views {
    key: "public.active"
    value {
      schema: "public"
      name: "active"
      definition: "SELECT users.id\n   FROM public.users\n  WHERE (users.n2 > 0)"
      comment: "it's live"
    }
  }
  views {
    key: "public.a_summary"
    value {
      schema: "public"
      name: "a_summary"
      materialized: true
      definition: "SELECT count(*) AS count\n   FROM public.active"
      indexes {
        name: "a_summary_idx"
        definition: "CREATE INDEX a_summary_idx ON public.a_summary USING btree (count)"
        comment: "fast"
      }
    }
  }
  types {
    key: "public.mood"
    value {
      schema: "public"
      name: "mood"
      enum_type { labels: "sad" labels: "it's ok" }
      comment: "feelings"
    }
  }
  types {
    key: "public.pair"
    value {
      schema: "public"
      name: "pair"
      composite {
        attributes { name: "x" type: "integer" }
        attributes { name: "Y" type: "public.mood" }
      }
    }
  }
  types {
    key: "public.posint"
    value {
      schema: "public"
      name: "posint"
      domain {
        base_type: "integer"
        not_null: true
        default_expr: "1"
        constraints {
          name: "posint_check"
          type: PG_CONSTRAINT_CHECK
          definition: "CHECK ((VALUE > 0))"
          comment: "positive"
        }
      }
      comment: "counts"
    }
  }
  types {
    key: "public.span"
    value {
      schema: "public"
      name: "span"
      other { definition: "RANGE (subtype = integer, multirange_type_name = public.spans)" }
    }
  }
  types {
    key: "public.timespan"
    value {
      schema: "public"
      name: "timespan"
      other {
        definition: "RANGE (subtype = time without time zone, subtype_diff = public.time_diff)"
      }
    }
  }
  extensions {
    key: "citext"
    value { name: "citext" version: "1.6" schema: "public" comment: "case-insensitive text" }
  }
  namespaces {
    key: "odd schema"
    value { name: "odd schema" comment: "strange" }
  }
  functions {
    key: "public.touch()"
    value {
      schema: "public"
      name: "touch"
      identity_arguments: ""
      definition: "CREATE OR REPLACE FUNCTION public.touch()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$BEGIN RETURN NEW; END$function$"
      comment: "trigger body"
    }
  }
  functions {
    key: "public.time_diff(a time without time zone, b time without time zone)"
    value {
      schema: "public"
      name: "time_diff"
      identity_arguments: "a time without time zone, b time without time zone"
      definition: "CREATE OR REPLACE FUNCTION public.time_diff(a time without time zone, b time without time zone)\n RETURNS double precision\n LANGUAGE sql\n IMMUTABLE\nAS $function$SELECT EXTRACT(EPOCH FROM (a - b))$function$"
    }
  }
  functions {
    key: "public.user_count()"
    value {
      schema: "public"
      name: "user_count"
      identity_arguments: ""
      definition: "CREATE OR REPLACE FUNCTION public.user_count()\n RETURNS bigint\n LANGUAGE sql\nBEGIN ATOMIC\n SELECT count(*) AS count\n    FROM public.users;\nEND"
    }
  }
)pb";

TEST(RenderObjectDdlTest, TableWithEveryPart) {
  EXPECT_EQ(Ddl(Parse(kShop), "public.users"),
            "CREATE TABLE public.users (\n"
            "    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,\n"
            "    \"Email\" text COLLATE \"C\" NOT NULL,\n"
            "    name text DEFAULT ''::text,\n"
            "    n2 integer GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n"
            "    twice bigint GENERATED ALWAYS AS ((id * 2)) STORED,\n"
            "    CONSTRAINT \"users_Email_key\" UNIQUE (\"Email\"),\n"
            "    CONSTRAINT users_org_fkey FOREIGN KEY (n2) REFERENCES public.orgs(id),\n"
            "    CONSTRAINT users_pkey PRIMARY KEY (id)\n"
            ");\n"
            "CREATE INDEX users_name_idx ON public.users USING btree (name);\n"
            "CREATE TRIGGER users_touch BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE "
            "FUNCTION public.touch();\n"
            "COMMENT ON TABLE public.users IS 'people''s accounts';\n"
            "COMMENT ON COLUMN public.users.\"Email\" IS 'login';\n"
            "COMMENT ON CONSTRAINT \"users_Email_key\" ON public.users IS 'one per mail';\n"
            "COMMENT ON INDEX public.users_name_idx IS 'by name';\n"
            "COMMENT ON TRIGGER users_touch ON public.users IS 'keeps it fresh';\n");
}

TEST(RenderObjectDdlTest, TableWithoutColumns) {
  auto s = Parse(R"pb(tables {
                        key: "public.e"
                        value { schema: "public" name: "e" }
                      })pb");
  EXPECT_EQ(Ddl(s, "public.e"), "CREATE TABLE public.e ();\n");
}

TEST(RenderObjectDdlTest, ViewsAndMaterializedViewsWithIndexes) {
  auto s = Parse(kShop);
  EXPECT_EQ(Ddl(s, "public.active"),
            "CREATE VIEW public.active AS\n"
            "SELECT users.id\n   FROM public.users\n  WHERE (users.n2 > 0);\n"
            "COMMENT ON VIEW public.active IS 'it''s live';\n");
  EXPECT_EQ(Ddl(s, "public.a_summary"),
            "CREATE MATERIALIZED VIEW public.a_summary AS\n"
            "SELECT count(*) AS count\n   FROM public.active;\n"
            "CREATE INDEX a_summary_idx ON public.a_summary USING btree (count);\n"
            "COMMENT ON INDEX public.a_summary_idx IS 'fast';\n");
}

TEST(RenderObjectDdlTest, SequencesAndTheirOwnersEvenWithDotsInNames) {
  auto s = Parse(kShop);
  EXPECT_EQ(Ddl(s, "public.orgs_id_seq"),
            "CREATE SEQUENCE public.orgs_id_seq AS integer START WITH 1 INCREMENT BY 1 MINVALUE 1 "
            "MAXVALUE 2147483647 CACHE 1 NO CYCLE;\n"
            "ALTER SEQUENCE public.orgs_id_seq OWNED BY public.orgs.id;\n");
  // "odd schema.a.b.c": the table is "a.b" in "odd schema", found by looking the split up.
  EXPECT_EQ(Ddl(s, "odd schema.s"),
            "CREATE SEQUENCE \"odd schema\".s AS bigint START WITH 5 INCREMENT BY -1 MINVALUE -10 "
            "MAXVALUE 9 CACHE 3 CYCLE;\n"
            "ALTER SEQUENCE \"odd schema\".s OWNED BY \"odd schema\".\"a.b\".c;\n"
            "COMMENT ON SEQUENCE \"odd schema\".s IS 'counts down';\n");
}

TEST(RenderObjectDdlTest, EveryKindOfType) {
  auto s = Parse(kShop);
  EXPECT_EQ(Ddl(s, "public.mood"),
            "CREATE TYPE public.mood AS ENUM ('sad', 'it''s ok');\n"
            "COMMENT ON TYPE public.mood IS 'feelings';\n");
  EXPECT_EQ(Ddl(s, "public.pair"), "CREATE TYPE public.pair AS (x integer, \"Y\" public.mood);\n");
  EXPECT_EQ(Ddl(s, "public.posint"),
            "CREATE DOMAIN public.posint AS integer DEFAULT 1 NOT NULL\n"
            "    CONSTRAINT posint_check CHECK ((VALUE > 0));\n"
            "COMMENT ON DOMAIN public.posint IS 'counts';\n"
            "COMMENT ON CONSTRAINT posint_check ON DOMAIN public.posint IS 'positive';\n");
  EXPECT_EQ(Ddl(s, "public.span"),
            "CREATE TYPE public.span AS RANGE (subtype = integer, multirange_type_name = "
            "public.spans);\n");
}

TEST(RenderObjectDdlTest, FunctionsExtensionsAndSchemas) {
  auto s = Parse(kShop);
  EXPECT_EQ(Ddl(s, "public.touch()"),
            "CREATE OR REPLACE FUNCTION public.touch()\n RETURNS trigger\n LANGUAGE plpgsql\n"
            "AS $function$BEGIN RETURN NEW; END$function$;\n"
            "COMMENT ON ROUTINE public.touch() IS 'trigger body';\n");
  EXPECT_EQ(Ddl(s, "ext:citext"),
            "CREATE EXTENSION citext WITH SCHEMA public VERSION '1.6';\n"
            "COMMENT ON EXTENSION citext IS 'case-insensitive text';\n");
  EXPECT_EQ(Ddl(s, "odd schema"),
            "CREATE SCHEMA \"odd schema\";\nCOMMENT ON SCHEMA \"odd schema\" IS 'strange';\n");
}

TEST(RenderObjectDdlTest, MissingObjectIsNotFoundWithTheFormsToUse) {
  auto r = RenderObjectDdl(Parse(kShop), "public.nope");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_EQ(r.status().message(),
            "postgres object public.nope not found; name a table, view, sequence or type as "
            "schema.name, a function as schema.name(argument types), an extension as ext:name, "
            "an event trigger as evt:name, a foreign server as server:name, default privileges "
            "as defaults:role/schema/OBJECTS, or a schema");
  // An extension is only found under ext:, never by its bare name.
  EXPECT_FALSE(RenderObjectDdl(Parse(kShop), "citext").ok());
}

TEST(RenderSchemaDdlTest, OrdersStatementsSoTheServerCanFollow) {
  const std::string ddl = RenderSchemaDdl(Parse(kShop));
  EXPECT_EQ(ddl.rfind("-- Function bodies are checked when they run", 0), 0u) << ddl;
  const size_t schema = At(ddl, "CREATE SCHEMA \"odd schema\";");
  const size_t extension = At(ddl, "CREATE EXTENSION citext");
  const size_t mood = At(ddl, "CREATE TYPE public.mood AS ENUM");
  const size_t pair = At(ddl, "CREATE TYPE public.pair AS (");
  const size_t touch = At(ddl, "CREATE OR REPLACE FUNCTION public.touch()");
  const size_t time_diff = At(ddl, "CREATE OR REPLACE FUNCTION public.time_diff(");
  const size_t timespan = At(ddl, "CREATE TYPE public.timespan AS RANGE");
  const size_t sequence = At(ddl, "CREATE SEQUENCE public.orgs_id_seq");
  const size_t orgs = At(ddl, "CREATE TABLE public.orgs (");
  const size_t users = At(ddl, "CREATE TABLE public.users (");
  const size_t owner = At(ddl, "ALTER SEQUENCE public.orgs_id_seq OWNED BY public.orgs.id;");
  const size_t fk = At(ddl,
                       "ALTER TABLE public.users ADD CONSTRAINT users_org_fkey FOREIGN KEY (n2) "
                       "REFERENCES public.orgs(id);");
  const size_t index = At(ddl, "CREATE INDEX users_name_idx");
  const size_t active = At(ddl, "CREATE VIEW public.active AS");
  const size_t summary = At(ddl, "CREATE MATERIALIZED VIEW public.a_summary AS");
  const size_t count = At(ddl, "CREATE OR REPLACE FUNCTION public.user_count()");
  const size_t trigger = At(ddl, "CREATE TRIGGER users_touch");
  const size_t comment = At(ddl, "COMMENT ON");
  EXPECT_LT(schema, extension);
  EXPECT_LT(extension, mood);
  EXPECT_LT(mood, pair);  // the composite uses the enum
  EXPECT_LT(pair, touch);
  EXPECT_LT(time_diff, timespan);  // the range names the function
  EXPECT_LT(timespan, sequence);
  EXPECT_LT(sequence, orgs);  // the default calls nextval on it
  EXPECT_LT(orgs, users);
  EXPECT_LT(users, owner);
  EXPECT_LT(users, fk);
  EXPECT_LT(fk, index);
  EXPECT_LT(index, active);
  EXPECT_LT(active, summary);  // a_summary sorts first but reads from active
  EXPECT_LT(summary, count);   // a SQL-standard body is parsed when created
  EXPECT_LT(count, trigger);
  EXPECT_LT(trigger, comment);
  // Foreign keys are added once, after the tables, not inside CREATE TABLE.
  EXPECT_EQ(ddl.find("    CONSTRAINT users_org_fkey"), std::string::npos);
  EXPECT_EQ(ddl.find("CREATE TYPE public.timespan"), ddl.rfind("CREATE TYPE public.timespan"));
}

TEST(RenderSchemaDdlTest, BaseTypesGetAShellBeforeTheirFunctions) {
  auto s = Parse(R"pb(
    types {
      key: "public.myint"
      value {
        schema: "public"
        name: "myint"
        other {
          definition: "(INPUT = public.myint_in, OUTPUT = public.myint_out, INTERNALLENGTH = 4)"
        }
      }
    }
    functions {
      key: "public.myint_in(cstring)"
      value {
        schema: "public"
        name: "myint_in"
        identity_arguments: "cstring"
        definition: "CREATE OR REPLACE FUNCTION public.myint_in(cstring)\n RETURNS public.myint\n LANGUAGE internal\nAS $function$int4in$function$"
      }
    }
  )pb");
  const std::string ddl = RenderSchemaDdl(s);
  const size_t shell = At(ddl, "CREATE TYPE public.myint;\n");
  const size_t in = At(ddl, "CREATE OR REPLACE FUNCTION public.myint_in(cstring)");
  const size_t full = At(ddl, "CREATE TYPE public.myint (INPUT = public.myint_in");
  EXPECT_LT(shell, in);
  EXPECT_LT(in, full);
}

TEST(RenderSchemaDdlTest, EmptySchemaIsOnlyThePreamble) {
  EXPECT_EQ(RenderSchemaDdl(pb::PostgresSchema()),
            "-- Function bodies are checked when they run, not while this script creates them.\n"
            "SET check_function_bodies = false;\n\n");
}

}  // namespace
}  // namespace strata::postgres
